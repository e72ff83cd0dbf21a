import { expect, test } from "bun:test";
import { ROOT_CONTEXT, trace, TraceFlags } from "@opentelemetry/api";
import { createSpan, startTracing } from "./tracing.ts";

test("without an exporter a span only carries ids: the parent's trace with a new span id, or a new sampled trace", async () => {
  const tracing = await startTracing({ service: "quiet" });
  expect(tracing.exporting).toBe(false);
  const root = createSpan("root", {}, ROOT_CONTEXT);
  expect(root.isRecording()).toBe(false);
  expect(root.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(root.spanContext().spanId).toMatch(/^[0-9a-f]{16}$/);
  expect(root.spanContext().traceFlags).toBe(TraceFlags.SAMPLED);
  const child = createSpan("child", {}, trace.setSpan(ROOT_CONTEXT, root));
  expect(child.spanContext().traceId).toBe(root.spanContext().traceId);
  expect(child.spanContext().spanId).not.toBe(root.spanContext().spanId);
  const unsampled = trace.setSpanContext(ROOT_CONTEXT, { traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: TraceFlags.NONE, isRemote: true });
  expect(createSpan("x", {}, unsampled).spanContext().traceFlags).toBe(TraceFlags.NONE);
  return tracing.stop();
});
