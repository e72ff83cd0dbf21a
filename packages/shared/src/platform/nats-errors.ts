/**
 * JetStream API failures recognised by the code the server sends with them (`JetStreamApiError.code`,
 * nats-server's errors.json), never by their text: descriptions change between server versions, codes do not.
 */
import { JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream";
import { ClosedConnectionError, ConnectionError, DrainingConnectionError, NoRespondersError, TimeoutError } from "@nats-io/transport-node";

/** The codes Forecourt acts on: the client's own names plus the "already exists" family it does not name. */
export const JS_API_CODES = {
  ...JetStreamApiCodes,
  /** "stream name already in use with a different configuration" */
  StreamNameExists: 10058,
  /** "consumer name already in use" (durable create with a different configuration, servers before 2.10) */
  ConsumerNameExists: 10013,
  /** "consumer already exists and is still active" */
  ConsumerExistingActive: 10105,
  /** "consumer already exists" (create action with a different configuration, servers 2.10 and later) */
  ConsumerAlreadyExists: 10148,
} as const;

function hasCode(error: unknown, ...codes: number[]): boolean {
  return error instanceof JetStreamApiError && codes.includes(error.code);
}

export function isStreamNotFound(error: unknown): boolean {
  return hasCode(error, JS_API_CODES.StreamNotFound);
}

export function isConsumerNotFound(error: unknown): boolean {
  return hasCode(error, JS_API_CODES.ConsumerNotFound);
}

/** Someone else created the stream or durable consumer first: it exists now, possibly with another configuration. */
export function isAlreadyExists(error: unknown): boolean {
  return hasCode(
    error,
    JS_API_CODES.StreamNameExists,
    JS_API_CODES.ConsumerNameExists,
    JS_API_CODES.ConsumerExistingActive,
    JS_API_CODES.ConsumerAlreadyExists,
  );
}

/**
 * An optimistic write lost its race: a publish with an expected last sequence, a KV `update` on a stale
 * revision, or a KV `create` of a key that exists.
 */
export function isWrongLastSequence(error: unknown): boolean {
  return hasCode(error, JS_API_CODES.StreamWrongLastSequence, JS_API_CODES.StreamWrongLastSequenceUnknown);
}

/**
 * NATS cannot take the request for now: nobody answered it (a stream with no leader while its Raft group
 * elects one: the client reports no responders, or "jetstream is not enabled" caused by them), nobody answered
 * in time, the connection is gone, or JetStream said 503. Worth retrying; after a timeout a write may or may
 * not have landed. Found anywhere in the error's cause chain.
 */
export function isNatsUnavailable(error: unknown): boolean {
  return inCauses(
    error,
    (e) =>
      e instanceof NoRespondersError ||
      e instanceof TimeoutError ||
      e instanceof ConnectionError ||
      e instanceof ClosedConnectionError ||
      e instanceof DrainingConnectionError ||
      (e instanceof JetStreamApiError && e.status === 503),
  );
}

/** Nobody answered the request (no server subscribes to the subject: a stream electing its leader), so nothing was stored. */
export function isNoResponders(error: unknown): boolean {
  return inCauses(error, (e) => e instanceof NoRespondersError);
}

function inCauses(error: unknown, match: (e: Error) => boolean): boolean {
  let e: unknown = error;
  for (let depth = 0; e instanceof Error && depth < 6; depth++, e = e.cause) if (match(e)) return true;
  return false;
}
