/** The one wait-until loop, for tests, benchmarks and `bun run dev`; node:timers only, so Node runs it too. */
import { setTimeout as sleep } from "node:timers/promises";

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Named in the timeout error; a function is asked at the timeout, so it can tell the state reached. */
  what?: string | (() => string);
}

/** Polls until `check` returns a truthy value, or throws after the timeout (with the last error `check` threw). */
export async function waitFor<T>(check: () => T | Promise<T>, { timeoutMs = 10_000, intervalMs = 50, what = "condition" }: WaitOptions = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await sleep(intervalMs);
  }
  const name = typeof what === "function" ? what() : what;
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${name}${lastError ? `: ${String(lastError)}` : ""}`, { cause: lastError });
}
