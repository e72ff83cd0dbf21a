/** Spans finished in this test process, kept in memory instead of exported: for tests of an app's own spans. */
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace";
import { startTracing, type Tracing } from "../platform/tracing.ts";

export async function captureSpans(service: string): Promise<{ exporter: InMemorySpanExporter; tracing: Tracing }> {
  const exporter = new InMemorySpanExporter();
  const tracing = await startTracing({ service, processor: new SimpleSpanProcessor({ exporter }) });
  return { exporter, tracing };
}
