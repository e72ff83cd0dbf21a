/**
 * Counts the NATS protocol operations in one direction of one connection that carry a payload (client PUB/HPUB,
 * server MSG/HMSG, leaf-node LMSG, route RMSG), reading the stream incrementally: chunks split anywhere, and
 * payload bytes are skipped by their declared size, so a payload that happens to contain "MSG …\r\n" is not counted.
 * Protocol: https://docs.nats.io/reference/reference-protocols/nats-protocol (the last argument of a payload
 * operation is the total payload size, headers included, followed by the payload and CRLF).
 */
const PAYLOAD_OPS = new Set(["PUB", "HPUB", "MSG", "HMSG", "LMSG", "RMSG"]);
const OTHER_OPS = new Set(["INFO", "CONNECT", "PING", "PONG", "+OK", "-ERR", "SUB", "UNSUB", "LS+", "LS-", "RS+", "RS-", "A+", "A-"]);
/** A payload operation's line is short (nats-server's max_control_line is 4 KiB by default); INFO and CONNECT may be long. */
const KEPT_LINE_BYTES = 16 * 1024;
/** A "line" longer than this is not NATS (e.g. a TLS stream after the INFO): stop counting. */
const MAX_LINE_BYTES = 1024 * 1024;
const LF = 0x0a;

export class NatsMessageCounter {
  messages = 0;
  /** False once the stream stopped looking like the NATS protocol (TLS, another protocol): counting stops there. */
  readable = true;
  private payloadLeft = 0;
  private readonly line = new Uint8Array(KEPT_LINE_BYTES);
  private lineKept = 0;
  private lineTotal = 0;
  private readonly decoder = new TextDecoder();

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length && this.readable) {
      if (this.payloadLeft > 0) {
        const skipped = Math.min(this.payloadLeft, chunk.length - i);
        this.payloadLeft -= skipped;
        i += skipped;
        continue;
      }
      const lf = chunk.indexOf(LF, i);
      const end = lf === -1 ? chunk.length : lf;
      this.keep(chunk.subarray(i, end));
      if (lf === -1) break;
      this.endLine();
      i = lf + 1;
    }
  }

  private keep(part: Uint8Array): void {
    const room = KEPT_LINE_BYTES - this.lineKept;
    if (room > 0) {
      const kept = part.subarray(0, room);
      this.line.set(kept, this.lineKept);
      this.lineKept += kept.length;
    }
    this.lineTotal += part.length;
    if (this.lineTotal > MAX_LINE_BYTES) this.readable = false;
  }

  private endLine(): void {
    const complete = this.lineKept === this.lineTotal;
    const text = this.decoder.decode(this.line.subarray(0, this.lineKept)).replace(/\r$/, "");
    this.lineKept = 0;
    this.lineTotal = 0;
    if (text.trim() === "") return;
    const args = text.trim().split(/[ \t]+/);
    const op = args[0]!.toUpperCase();
    if (OTHER_OPS.has(op)) return;
    const size = args.length >= 2 ? args[args.length - 1]! : "";
    if (!PAYLOAD_OPS.has(op) || !complete || !/^\d+$/.test(size)) {
      this.readable = false;
      return;
    }
    this.messages += 1;
    this.payloadLeft = Number(size) + 2;
  }
}
