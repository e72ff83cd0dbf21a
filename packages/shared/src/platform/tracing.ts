/**
 * OpenTelemetry tracing for every app: W3C trace context (https://www.w3.org/TR/trace-context/) kept in
 * AsyncLocalStorage, spans made by hand (auto-instrumentation does not work on Bun) and exported over
 * OTLP/HTTP (protobuf) only when an endpoint is configured. Without one spans are still made and dropped on
 * end, so trace ids still reach headers, messages and logs.
 */
import { context, propagation } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider, type SpanProcessor } from "@opentelemetry/sdk-trace";

// Registered when the module loads, so contexts and `traceparent` work in tests and scripts that never call startTracing.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());

const TRACER_NAME = "forecourt";

function createProvider(service: string, spanProcessors: SpanProcessor[]): TracerProvider {
  return new TracerProvider({ resource: resourceFromAttributes({ "service.name": service, "service.namespace": "forecourt" }), spanProcessors });
}

let provider = createProvider("forecourt", []);

/** The tracer of the provider in force; the SDK keeps one tracer per name, so this is cheap. */
export const tracer = () => provider.getTracer(TRACER_NAME);

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

/** Starts tracing for this process; call it first in main.ts, before anything makes a span. */
export function startTracing(options: TracingOptions): Tracing {
  const processors: SpanProcessor[] = [];
  if (options.processor) processors.push(options.processor);
  else if (options.otlpEndpoint) {
    const exporter = new OTLPTraceExporter({ url: otlpTracesUrl(options.otlpEndpoint) });
    processors.push(new BatchSpanProcessor({ exporter, scheduledDelayMillis: options.otlpExportDelayMs }));
  }
  const previous = provider;
  const mine = createProvider(options.service, processors);
  provider = mine;
  return {
    exporting: processors.length > 0,
    async stop() {
      await mine.shutdown();
      if (provider === mine) provider = previous;
    },
  };
}
