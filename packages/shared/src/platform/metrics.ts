/**
 * Prometheus metrics (prom-client): one registry per process holding Forecourt's families (`forecourt_`
 * prefix, base units, `_total` counters, `_seconds` durations) and the process defaults (`process_*`,
 * `nodejs_*`, unprefixed so standard dashboards read them), served as text exposition at GET /metrics:
 * by each HTTP app on its own port, by the workers on a small listener of their own (METRICS_PORT).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type CounterConfiguration, type GaugeConfiguration, type HistogramConfiguration } from "prom-client";

export const metricsRegistry = new Registry();

/** Seconds: a GetPrice answers in well under a millisecond, a KV write in a few, a slow pricing call in seconds. */
export const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A family registered once per process; a second caller (another consumer, another test) gets the same one. */
function family<T>(name: string, create: () => T): T {
  return (metricsRegistry.getSingleMetric(name) as T | undefined) ?? create();
}

export function counter<L extends string>(config: Omit<CounterConfiguration<L>, "registers">): Counter<L> {
  return family(config.name, () => new Counter({ ...config, registers: [metricsRegistry] }));
}

export function gauge<L extends string>(config: Omit<GaugeConfiguration<L>, "registers">): Gauge<L> {
  return family(config.name, () => new Gauge({ ...config, registers: [metricsRegistry] }));
}

export function histogram<L extends string>(config: Omit<HistogramConfiguration<L>, "registers">): Histogram<L> {
  return family(config.name, () => new Histogram({ buckets: DURATION_BUCKETS, ...config, registers: [metricsRegistry] }));
}

/**
 * A request counter and its duration histogram with the same labels, recorded together. Each label set's
 * children are bound once and kept (label sets here are few: routes × methods × statuses), which spares
 * prom-client validating and hashing the labels on every request.
 */
export function labelledSeries<L extends string>(total: Counter<L>, duration: Histogram<L>): (labels: Record<L, string>, seconds: number) => void {
  const children = new Map<string, { total: { inc(): void }; duration: { observe(value: number): void } }>();
  return (labels, seconds) => {
    const key = Object.values(labels).join("\u0000");
    let child = children.get(key);
    if (!child) children.set(key, (child = { total: total.labels(labels as never), duration: duration.labels(labels as never) }));
    child.total.inc();
    child.duration.observe(seconds);
  };
}

let processMetrics = false;

/**
 * CPU, memory, file descriptors, event-loop lag, GC. Event-loop lag is sampled every 100 ms, not prom-client's
 * 10: the 10 ms timer alone costs an idle Bun process about 0.4% of a core.
 */
export function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: metricsRegistry, eventLoopMonitoringPrecision: 100 });
}

/** The registry as Prometheus text exposition (format 0.0.4). */
export async function metricsResponse(): Promise<Response> {
  return new Response(await metricsRegistry.metrics(), { headers: { "content-type": metricsRegistry.contentType } });
}


export interface MetricsServer {
  port: number;
  url: string;
  stop(): void;
}

/** The workers' listener: GET /metrics and nothing else. Port 0 picks a free one (tests); the bound port is in `url`. */
export function serveMetrics({ host, port }: { host: string; port: number }): MetricsServer {
  collectProcessMetrics();
  let server: ReturnType<typeof Bun.serve>;
  try {
    server = Bun.serve({
      hostname: host,
      port,
      fetch: (request) =>
        request.method === "GET" && new URL(request.url).pathname === "/metrics" ? metricsResponse() : new Response("not found: metrics are at GET /metrics\n", { status: 404 }),
    });
  } catch (error) {
    throw new Error(`cannot serve metrics on ${host}:${port} (METRICS_PORT): ${(error as Error).message}`, { cause: error });
  }
  const local = host === "0.0.0.0" ? "127.0.0.1" : host;
  return { port: server.port!, url: `http://${local}:${server.port}/metrics`, stop: () => void server.stop(true) };
}
