/**
 * The spans Forecourt makes and how their context crosses process boundaries: a W3C `traceparent` header on
 * HTTP requests and responses, gRPC/Connect calls and NATS messages (OpenTelemetry's W3C propagator).
 */
import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from "@opentelemetry/api";
import { headers as natsHeaders, type MsgHdrs } from "@nats-io/transport-node";
import { createSpan } from "./tracing.ts";

export { SpanKind, type Context, type Span };

export const TRACEPARENT_HEADER = "traceparent";

/** Anything a trace context can be read from: fetch and Connect headers, NATS message headers, a plain record. */
export type TraceCarrier = Headers | MsgHdrs | Record<string, string | undefined> | undefined;

const getter: TextMapGetter<TraceCarrier> = {
  keys: (carrier) => (carrier === undefined ? [] : carrier instanceof Headers ? [...carrier.keys()] : isMsgHdrs(carrier) ? carrier.keys() : Object.keys(carrier)),
  // NATS answers "" for a missing header; the propagator wants undefined.
  get: (carrier, key) => (carrier === undefined ? undefined : carrier instanceof Headers || isMsgHdrs(carrier) ? carrier.get(key) || undefined : carrier[key]),
};

function isMsgHdrs(carrier: object): carrier is MsgHdrs {
  // MsgHdrs is an interface (no class to test with instanceof); a plain record has no methods.
  return typeof (carrier as MsgHdrs).get === "function" && typeof (carrier as MsgHdrs).set === "function";
}

/** The trace context a request or message carries (ROOT when it carries none or a malformed one, per the spec). */
export function extractContext(carrier: TraceCarrier): Context {
  return propagation.extract(ROOT_CONTEXT, carrier, getter);
}

type WritableCarrier = Headers | MsgHdrs | Record<string, string>;

const setter: TextMapSetter<WritableCarrier> = {
  set: (carrier, key, value) => {
    if (carrier instanceof Headers || isMsgHdrs(carrier)) carrier.set(key, value);
    else (carrier as Record<string, string>)[key] = value;
  },
};

/** The trace id of a context (e.g. one extracted from a message), if it is in a trace. */
export function traceIdOf(ctx: Context): string | undefined {
  const spanContext = trace.getSpanContext(ctx);
  return spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/** Writes the context's `traceparent` (and `tracestate`) into outgoing headers (NATS, fetch or Connect). */
export function injectContext<C extends WritableCarrier>(into: C, ctx: Context = context.active()): C {
  propagation.inject(ctx, into, setter);
  return into;
}

/** The `traceparent` of a context's span, or undefined outside any trace. */
export function traceparentOf(ctx: Context = context.active()): string | undefined {
  return injectContext({} as Record<string, string>, ctx)[TRACEPARENT_HEADER];
}

/** Trace and span id of the work in progress, for logs; undefined outside any span. */
export function activeSpanIds(): { traceId: string; spanId: string } | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && isSpanContextValid(spanContext) ? { traceId: spanContext.traceId, spanId: spanContext.spanId } : undefined;
}

export interface StartSpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The parent: a context extracted from a request or message, or by default the work in progress. */
  parent?: Context;
}

/** Starts a span the caller ends; `ctx` runs code inside it. For spans that outlive one callback (requests, streams). */
export function startSpan(name: string, options: StartSpanOptions = {}): { span: Span; ctx: Context } {
  const parent = options.parent ?? context.active();
  const span = createSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, parent);
  return { span, ctx: trace.setSpan(parent, span) };
}

/** Marks a span failed with the error as an exception event (its message stays inside the trace backend). */
export function recordFailure(span: Span, error: unknown, message?: string): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: message ?? (error instanceof Error ? error.message : String(error)) });
}

/** Runs `fn` inside a new span, ended when `fn` settles; a throw marks the span failed and is rethrown. */
export async function inSpan<T>(name: string, options: StartSpanOptions, fn: (span: Span) => Promise<T> | T): Promise<T> {
  const { span, ctx } = startSpan(name, options);
  try {
    return await context.with(ctx, () => fn(span));
  } catch (error) {
    recordFailure(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** Runs `fn` inside a context (e.g. a span started elsewhere): logs and calls made there belong to its trace. */
export function withContext<T>(ctx: Context, fn: () => T): T {
  return context.with(ctx, fn);
}

/** The context of the work in progress, to re-enter later (a stream's end, a batch written after the fact). */
export const activeContext = (): Context => context.active();

/** Attributes of a NATS message span (OpenTelemetry messaging conventions). */
export function messagingAttributes(operation: "publish" | "process", subject: string, extra: Attributes = {}): Attributes {
  return { "messaging.system": "nats", "messaging.operation.type": operation, "messaging.destination.name": subject, ...extra };
}

/**
 * A PRODUCER span around one publish: `fn` gets headers carrying the span's own context, so each consumer's
 * span becomes its child. `name` is the span name without the message's variable tokens (`publish
 * forecourt.vehicles.priced`), `subject` the full subject (an attribute).
 */
export function publishSpan<T>(name: string, subject: string, fn: (headers: MsgHdrs) => Promise<T>, options: { parent?: Context; headers?: MsgHdrs } = {}): Promise<T> {
  return inSpan(name, { kind: SpanKind.PRODUCER, parent: options.parent, attributes: messagingAttributes("publish", subject) }, () => fn(injectContext(options.headers ?? natsHeaders())));
}
