/** W3C Trace Context (https://www.w3.org/TR/trace-context/): one trace id follows a car through every service. */
import { AsyncLocalStorage } from "node:async_hooks";

export interface TraceContext {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** Every request and event starts a span: a table lookup per byte, not a string conversion and padding. */
function randomHex(bytes: number): string {
  const buf = crypto.getRandomValues(new Uint8Array(bytes));
  let hex = "";
  for (const b of buf) hex += HEX[b];
  return hex;
}

/** Parses a traceparent header; anything malformed (or version ff, or all-zero ids) is ignored, per the spec. */
export function parseTraceparent(header: string | null | undefined): TraceContext | undefined {
  const match = header ? TRACEPARENT.exec(header.trim().toLowerCase()) : null;
  if (!match) return undefined;
  const [, version, traceId, spanId, flags] = match as unknown as [string, string, string, string, string];
  if (version === "ff" || traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

export function formatTraceparent(ctx: TraceContext): string {
  return `00-${ctx.traceId}-${ctx.spanId}-${ctx.sampled ? "01" : "00"}`;
}

/** A new span in the given trace, or the root of a new trace when there is none. */
export function childSpan(parent?: TraceContext): TraceContext {
  return { traceId: parent?.traceId ?? randomHex(16), spanId: randomHex(8), sampled: parent?.sampled ?? true };
}

const storage = new AsyncLocalStorage<TraceContext>();

/** The trace of the work in progress, if any: logs and outgoing calls pick it up from here. */
export function currentTrace(): TraceContext | undefined {
  return storage.getStore();
}

export function withTrace<T>(ctx: TraceContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** Binds a trace for the rest of the current async context (for request hooks that cannot wrap a callback). */
export function enterTrace(ctx: TraceContext): void {
  storage.enterWith(ctx);
}
