import { expect, test } from "bun:test";
import { startOtlpReceiver, SPAN_KIND } from "../testing/otlp-receiver.ts";
import { waitFor } from "../testing/wait.ts";
import { inSpan, SpanKind } from "./spans.ts";
import { otlpTracesUrl, startTracing } from "./tracing.ts";

test("with an endpoint, spans reach an OTLP/HTTP receiver in protobuf with their service, kind, parent and attributes", async () => {
  const receiver = startOtlpReceiver();
  const tracing = await startTracing({ service: "tracing-test", otlpEndpoint: `${receiver.endpoint}/`, otlpExportDelayMs: 20 });
  try {
    expect(tracing.exporting).toBe(true);
    const ids = await inSpan("outer", { kind: SpanKind.SERVER, attributes: { "http.route": "/x", count: 3, ok: true } }, () =>
      inSpan("inner", { kind: SpanKind.CLIENT }, (span) => span.spanContext()),
    );
    await waitFor(() => receiver.spans.length >= 2, { what: "two spans at the receiver" });
    const outer = receiver.spans.find((s) => s.name === "outer")!;
    const inner = receiver.spans.find((s) => s.name === "inner")!;
    expect(outer).toMatchObject({ service: "tracing-test", kind: SPAN_KIND.server, parentSpanId: "", traceId: ids.traceId, attributes: { "http.route": "/x", count: 3, ok: true } });
    expect(inner).toMatchObject({ kind: SPAN_KIND.client, spanId: ids.spanId, parentSpanId: outer.spanId, traceId: ids.traceId });
  } finally {
    await tracing.stop();
    receiver.stop();
  }
});

test("the traces URL is the endpoint with /v1/traces, as the OTLP exporter specification builds it", () => {
  expect(otlpTracesUrl("http://jaeger:4318")).toBe("http://jaeger:4318/v1/traces");
  expect(otlpTracesUrl("https://collector.example/otlp/")).toBe("https://collector.example/otlp/v1/traces");
});
