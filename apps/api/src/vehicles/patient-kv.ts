/**
 * KV writes that wait out a leader election. While the bucket's stream elects a leader (a server died or is
 * restarting) nobody subscribes to its subjects, so a write comes back at once with "no responders": nothing
 * was stored, and trying again is safe. Each write is retried with a growing delay for up to `budgetMs`;
 * past that, or for any other error, the error goes to the caller (the HTTP edge answers 503 with
 * Retry-After). A write that timed out is never retried: it may have landed.
 */
import { isNoResponders } from "@forecourt/shared/platform";
import type { KV } from "@nats-io/kv";

const WRITES = new Set<PropertyKey>(["create", "update", "put", "delete"]);

export async function retryWhileNoResponders<T>(op: () => Promise<T>, budgetMs: number, sleep = Bun.sleep): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let delayMs = 50; ; delayMs = Math.min(delayMs * 2, 500)) {
    try {
      return await op();
    } catch (error) {
      if (!isNoResponders(error) || Date.now() + delayMs > deadline) throw error;
      await sleep(delayMs);
    }
  }
}

export function patientKv(kv: KV, budgetMs = 5_000): KV {
  return new Proxy(kv, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      if (!WRITES.has(property)) return value.bind(target);
      return (...args: unknown[]) => retryWhileNoResponders(() => value.apply(target, args), budgetMs);
    },
  });
}
