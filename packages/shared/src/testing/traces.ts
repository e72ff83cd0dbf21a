/** W3C trace context for tests that publish or send as another service would: a fresh, valid `traceparent`. */
const hex = (bytes: number) => Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");

export function newTraceparent(): { traceparent: string; traceId: string; spanId: string } {
  const traceId = hex(16);
  const spanId = hex(8);
  return { traceparent: `00-${traceId}-${spanId}-01`, traceId, spanId };
}

/** The trace id in a `traceparent` header (undefined for a missing or malformed one). */
export function traceIdOf(traceparent: string | null | undefined): string | undefined {
  return /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent ?? "")?.[1];
}
