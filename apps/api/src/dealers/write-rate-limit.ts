/**
 * Per-dealer write rate: a token bucket per dealer, `burst` writes deep, refilled at `perSecond`. Each API
 * instance keeps its own buckets (in memory), so behind N instances a dealer gets up to N times the rate.
 */
export interface WriteRate {
  /** Writes a dealer may make per second, sustained; 0 turns the limit off. */
  perSecond: number;
  /** Writes a dealer may make at once after being idle. */
  burst: number;
}

export const DEFAULT_WRITE_RATE: WriteRate = { perSecond: 10, burst: 60 };

export class WriteRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: WriteRate,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  /** Takes one write from the dealer's bucket: 0 when it may go ahead, else the whole seconds until it may retry. */
  take(dealer: string): number {
    if (this.rate.perSecond <= 0) return 0;
    const now = this.nowMs();
    const bucket = this.buckets.get(dealer) ?? { tokens: this.rate.burst, at: now };
    bucket.tokens = Math.min(this.rate.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate.perSecond);
    bucket.at = now;
    this.buckets.set(dealer, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.rate.perSecond));
  }
}
