/**
 * The vehicle frames one socket was sent that its page has not acknowledged yet (the page acks the last sequence
 * it applied). This bounds what a socket may hold unread end to end, in Bun's buffer, the kernel's and the
 * network's alike: Bun's backpressure only sees its own buffer, and the kernel takes megabytes before that fills.
 */
export class UnackedFrames {
  private seqs: number[] = [];
  private head = 0;

  constructor(readonly limit: number) {}

  sent(seq: number): void {
    this.seqs.push(seq);
  }

  /** Everything sent up to and including `seq` has been applied by the page. */
  ack(seq: number): void {
    while (this.head < this.seqs.length && this.seqs[this.head]! <= seq) this.head++;
    if (this.head > 1_024 && this.head * 2 > this.seqs.length) {
      this.seqs = this.seqs.slice(this.head);
      this.head = 0;
    }
  }

  get count(): number {
    return this.seqs.length - this.head;
  }

  /** At the limit: send nothing more until an ack makes room. */
  get full(): boolean {
    return this.count >= this.limit;
  }

  /** A new subscription: frames of the old one no longer count. */
  reset(): void {
    this.seqs = [];
    this.head = 0;
  }
}
