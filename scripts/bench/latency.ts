/** Latency summaries and the open-loop schedule: pure, so the bench's arithmetic is tested on its own. */
import { ascending, percentile } from "../report/percentiles.ts";

export { percentile };

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarise(values: readonly number[]): LatencySummary {
  const sorted = ascending(values);
  return { count: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? Number.NaN };
}

/**
 * Open loop: request i is due at i / rate seconds after the start, whether or not earlier ones were answered,
 * so a slow server cannot slow the load down and hide its own queueing (no coordinated omission).
 * How many of `total` are due `elapsedMs` after the start.
 */
export function dueCount(elapsedMs: number, ratePerSecond: number, total: number): number {
  if (elapsedMs < 0) return 0;
  return Math.min(total, Math.floor((elapsedMs * ratePerSecond) / 1000) + 1);
}

/** When request i was due, in ms after the start: latencies are measured from here, not from when it was sent. */
export function dueAt(i: number, ratePerSecond: number): number {
  return (i * 1000) / ratePerSecond;
}
