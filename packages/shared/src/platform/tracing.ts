/**
 * OpenTelemetry tracing for every app: W3C trace context (https://www.w3.org/TR/trace-context/) kept in
 * AsyncLocalStorage, spans made by hand (auto-instrumentation does not work on Bun) and exported over
 * OTLP/HTTP (protobuf) only when an endpoint is configured. Without one, spans are non-recording: they carry
 * ids (so trace ids still reach headers, messages and logs) and nothing else, which costs next to nothing.
 */
import { context, isSpanContextValid, propagation, trace, TraceFlags, type Context, type Span, type SpanOptions } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, RandomIdGenerator, TracerProvider, type SpanProcessor } from "@opentelemetry/sdk-trace";

// Registered when the module loads, so contexts and `traceparent` work in tests and scripts that never call startTracing.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());

const TRACER_NAME = "forecourt";

function createProvider(service: string, spanProcessors: SpanProcessor[]): TracerProvider {
  return new TracerProvider({ resource: resourceFromAttributes({ "service.name": service, "service.namespace": "forecourt" }), spanProcessors });
}

let provider = createProvider("forecourt", []);
/** Whether spans go anywhere: only then are they worth the SDK's full spans. */
let recording = false;
const ids = new RandomIdGenerator();

/**
 * A new span under `parent`: the SDK's when spans are exported; otherwise a non-recording span with fresh ids
 * in the parent's trace (a new trace without one), sampled unless the parent said not, so a downstream app
 * that does export still records its part.
 */
export function createSpan(name: string, options: SpanOptions, parent: Context): Span {
  if (recording) return provider.getTracer(TRACER_NAME).startSpan(name, options, parent);
  const p = trace.getSpanContext(parent);
  const inTrace = p !== undefined && isSpanContextValid(p);
  return trace.wrapSpanContext({ traceId: inTrace ? p.traceId : ids.generateTraceId(), spanId: ids.generateSpanId(), traceFlags: inTrace ? p.traceFlags : TraceFlags.SAMPLED });
}

export interface TracingOptions {
  /** `service.name` of every span this process makes (api, pricer, …). */
  service: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: spans go to `<endpoint>/v1/traces`; unset, nothing is exported. */
  otlpEndpoint?: string;
  /** How long finished spans wait to be sent in a batch (OTEL_BSP_SCHEDULE_DELAY, 5000 ms by default). */
  otlpExportDelayMs?: number;
  /** Tests: where spans go instead of OTLP. */
  processor?: SpanProcessor;
}

export interface Tracing {
  /** Whether spans leave the process. */
  exporting: boolean;
  /** Sends what is batched; the last shutdown step, so no span of the final requests is lost. */
  stop(): Promise<void>;
}

/** The OTLP/HTTP traces URL for a base endpoint, as the OpenTelemetry exporter specification builds it. */
export function otlpTracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, "")}/v1/traces`;
}

/**
 * Starts tracing for this process; call it first in main.ts, before anything makes a span. The exporter (and
 * the OTLP encoders it pulls in) is loaded only when spans are to be exported.
 */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  const processors: SpanProcessor[] = [];
  if (options.processor) processors.push(options.processor);
  else if (options.otlpEndpoint) {
    const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-proto");
    const exporter = new OTLPTraceExporter({ url: otlpTracesUrl(options.otlpEndpoint) });
    processors.push(new BatchSpanProcessor({ exporter, scheduledDelayMillis: options.otlpExportDelayMs }));
  }
  const previous = { provider, recording };
  const mine = createProvider(options.service, processors);
  provider = mine;
  recording = processors.length > 0;
  return {
    exporting: recording,
    async stop() {
      await mine.shutdown();
      if (provider === mine) ({ provider, recording } = previous);
    },
  };
}
