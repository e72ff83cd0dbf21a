/** The one percentile of the project's reports (bench, lab, chaos): nearest rank, as most load tools give it. */

/** The nearest-rank percentile (q in 0..1) of ascending values; NaN for none. */
export function percentile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Ascending copy of the values, for `percentile`. */
export const ascending = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);
