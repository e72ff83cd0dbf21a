/**
 * "NATS is unavailable right now": the failures that a retry a little later can fix, told apart from bugs by
 * the 3.x client's error classes and the JetStream API's codes (never by message text). Each edge maps them
 * once: HTTP 503 with Retry-After, Connect UNAVAILABLE, WebSocket close 1013, a nak with a delay.
 */
import { JetStreamApiError } from "@nats-io/jetstream";
// The public entry point does not export this class; the package's own "internal" entry does.
import { jserrors } from "@nats-io/jetstream/internal";
import { errors } from "@nats-io/transport-node";
import { JS_API_CODES } from "./nats-errors.ts";

/** JetStream API codes that mean "not now" rather than "no" (nats-server's errors.json). */
export const JS_UNAVAILABLE_CODES = {
  /** JetStream system temporarily unavailable */
  ClusterNotAvailable: 10008,
  /** JetStream cluster can not handle request (no leader yet) */
  ClusterNotLeader: 10009,
  /** JetStream not enabled (yet: a server still starting it) */
  NotEnabled: 10076,
  NotEnabledForAccount: JS_API_CODES.JetStreamNotEnabledForAccount,
  /** stream is offline */
  StreamOffline: 10118,
  /** consumer is offline */
  ConsumerOffline: 10119,
} as const;

const UNAVAILABLE_CODES: number[] = Object.values(JS_UNAVAILABLE_CODES);

/** Seconds a client is asked to wait before retrying (HTTP Retry-After): about one reconnect and JetStream start. */
export const RETRY_AFTER_SECONDS = 2;

/**
 * A dependency the app needs is missing or unreachable (a deleted bucket, NATS disconnected), found by the app's
 * own readiness checks: the request is refused at once rather than left to time out.
 */
export class DependencyUnavailableError extends Error {
  constructor(readonly reason: string, options?: ErrorOptions) {
    super(reason, options);
    this.name = "DependencyUnavailableError";
  }
}

const MAX_DEPTH = 5;

function isUnavailableItself(error: unknown): boolean {
  if (error instanceof DependencyUnavailableError) return true;
  // No responders on a JetStream API subject: JetStream is not (yet) running, or the stream is gone.
  if (error instanceof jserrors.JetStreamNotEnabled) return true;
  if (error instanceof JetStreamApiError) return UNAVAILABLE_CODES.includes(error.code);
  return (
    error instanceof errors.TimeoutError ||
    error instanceof errors.NoRespondersError ||
    error instanceof errors.ConnectionError ||
    error instanceof errors.ClosedConnectionError ||
    error instanceof errors.DrainingConnectionError
  );
}

/**
 * True for failures a retry later can fix: NATS disconnected or closed, a request timed out or found no
 * responder, JetStream not ready. A RequestError counts by its cause ("connection disconnected" and
 * "cancelled" carry none: the connection went away under the request); a permission error never counts.
 */
export function isNatsUnavailable(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth < MAX_DEPTH && current instanceof Error; depth++) {
    if (isUnavailableItself(current)) return true;
    if (current instanceof errors.RequestError && current.cause === undefined) return true;
    current = current.cause;
  }
  return false;
}
