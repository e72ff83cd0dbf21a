import { afterAll, expect, test } from "bun:test";
import { headers } from "@nats-io/transport-node";
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { activeSpanIds, extractContext, inSpan, injectContext, publishSpan, SpanKind, startSpan, traceIdOf, traceparentOf } from "./spans.ts";
import { startTracing } from "./tracing.ts";

const exporter = new InMemorySpanExporter();
const tracing = await startTracing({ service: "spans-test", processor: new SimpleSpanProcessor({ exporter }) });
afterAll(() => tracing.stop());

const VALID = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
const finished = (name: string) => exporter.getFinishedSpans().find((s) => s.name === name) as ReadableSpan;

test("a message's traceparent becomes the parent of the span that handles it", async () => {
  const h = headers();
  h.set("traceparent", VALID);
  expect(traceIdOf(extractContext(h))).toBe("0af7651916cd43dd8448eb211c80319c");
  await inSpan("handle message", { kind: SpanKind.CONSUMER, parent: extractContext(h) }, () => undefined);
  const span = finished("handle message");
  expect(span.spanContext().traceId).toBe("0af7651916cd43dd8448eb211c80319c");
  expect(span.parentSpanContext?.spanId).toBe("b7ad6b7169203331");
  expect(span.parentSpanContext?.isRemote).toBe(true);
  expect(span.kind).toBe(SpanKind.CONSUMER);
});

test("malformed, version ff and all-zero traceparents are ignored: the handler starts a new trace", async () => {
  for (const bad of ["", "garbage", "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", `00-${"0".repeat(32)}-b7ad6b7169203331-01`, `00-0af7651916cd43dd8448eb211c80319c-${"0".repeat(16)}-01`]) {
    expect(traceIdOf(extractContext({ traceparent: bad }))).toBeUndefined();
    const { span } = startSpan("fresh", { parent: extractContext({ traceparent: bad }) });
    span.end();
    expect(span.spanContext().traceId).not.toBe("0af7651916cd43dd8448eb211c80319c");
    expect((span as unknown as ReadableSpan).parentSpanContext).toBeUndefined();
  }
  expect(traceIdOf(extractContext(undefined))).toBeUndefined();
});

test("a publish is a PRODUCER span child of the work in progress, and the message carries the producer's own context", async () => {
  const sent = await inSpan("request", { kind: SpanKind.SERVER }, () => publishSpan("publish things", "things.a.b", async (h) => h.get("traceparent")));
  const request = finished("request");
  const publish = finished("publish things");
  expect(publish.kind).toBe(SpanKind.PRODUCER);
  expect(publish.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
  expect(publish.attributes["messaging.destination.name"]).toBe("things.a.b");
  expect(sent).toBe(`00-${request.spanContext().traceId}-${publish.spanContext().spanId}-01`);
});

test("a failing span records the error and is rethrown; ids and traceparent exist only inside a span", async () => {
  await expect(inSpan("fails", {}, () => Promise.reject(new TypeError("boom")))).rejects.toThrow("boom");
  const span = finished("fails");
  expect(span.status.code).toBe(2);
  expect(span.events[0]?.name).toBe("exception");
  expect(activeSpanIds()).toBeUndefined();
  expect(traceparentOf()).toBeUndefined();
  const inside = await inSpan("ids", {}, () => ({ ids: activeSpanIds(), traceparent: traceparentOf(), written: injectContext(headers()).get("traceparent") }));
  expect(inside.traceparent).toBe(`00-${inside.ids!.traceId}-${inside.ids!.spanId}-01`);
  expect(inside.written).toBe(inside.traceparent!);
});
