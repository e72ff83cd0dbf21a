/** Retry delays for JetStream naks: the first retry after `initialMs`, doubling each time, never above `maxMs`. */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** Growth per attempt; 2 doubles. */
  factor?: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 250, maxMs: 30_000, factor: 2 };

/** Delay before the next delivery, given how many deliveries have happened so far (1 = the first one failed). */
export function backoffDelay(deliveries: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const attempt = Math.max(1, Math.floor(deliveries));
  const delay = policy.initialMs * Math.pow(policy.factor ?? 2, attempt - 1);
  return Math.round(Math.min(policy.maxMs, delay));
}

/** Total time a message waits across every retry before its last delivery: how long an outage can last unnoticed. */
export function totalRetryWindow(maxDeliver: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  let total = 0;
  for (let delivery = 1; delivery < maxDeliver; delivery++) total += backoffDelay(delivery, policy);
  return total;
}
