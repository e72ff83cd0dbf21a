/**
 * JetStream API failures recognised by the code the server sends with them (`JetStreamApiError.code`,
 * nats-server's errors.json), never by their text: descriptions change between server versions, codes do not.
 */
import { JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream";
import { NoRespondersError, PermissionViolationError } from "@nats-io/transport-node";

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
 * The server refused a publish or subscribe under this user's permissions (nats.conf `permissions`). The client
 * rejects a request to a refused subject at once with a RequestError whose cause is the PermissionViolationError.
 */
export function isPermissionDenied(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof PermissionViolationError) return true;
  }
  return false;
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
