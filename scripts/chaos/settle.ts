/**
 * The settle loop: look again every `pauseMs` until the verdict passes and no consumer has work left, or the time
 * runs out. A look that fails (JetStream not answering while the checker's own connection moves to another server,
 * or a stream re-electing its leader) counts as "not yet", never as the run's failure; only the last look's error,
 * when no look ever succeeded, is thrown.
 */
export interface SettleOptions<V> {
  look: () => Promise<V>;
  /** Which consumer still has work, or undefined once all have caught up. */
  busy: () => Promise<string | undefined>;
  passed: (verdict: V) => boolean;
  settleMs: number;
  pauseMs?: number;
  /** What the verdict still lacks, for a progress line (e.g. "lost 3, audit gaps 2"). */
  lacking?: (verdict: V) => string;
  /** Called every `progressEveryMs` while it has not settled, with what it waits for: a long wait shows why. */
  progress?: (line: string) => void;
  progressEveryMs?: number;
}

export async function settle<V>({ look, busy, passed, settleMs, pauseMs = 2_000, lacking, progress, progressEveryMs = 10_000 }: SettleOptions<V>): Promise<{ verdict: V; settled: boolean; still?: string }> {
  const start = performance.now();
  let verdict: V | undefined;
  let lastError: unknown;
  let still: string | undefined = "not checked";
  let reported = start;
  for (;;) {
    let waitingFor: string;
    try {
      verdict = await look();
      still = await busy().catch((error: Error) => error.message);
      if (passed(verdict) && still === undefined) return { verdict, settled: true };
      waitingFor = [passed(verdict) ? undefined : `verdict: ${lacking?.(verdict) ?? "not passing yet"}`, still].filter(Boolean).join("; ");
    } catch (error) {
      lastError = error;
      still = `could not look: ${(error as Error).message}`;
      waitingFor = still;
    }
    const now = performance.now();
    if (progress && now - reported >= progressEveryMs) {
      reported = now;
      progress(`still settling after ${((now - start) / 1000).toFixed(0)} s: ${waitingFor}`);
    }
    if (now - start >= settleMs) break;
    await Bun.sleep(pauseMs);
  }
  if (verdict === undefined) throw lastError;
  return { verdict, settled: false, still: still ?? "verdict failing" };
}
