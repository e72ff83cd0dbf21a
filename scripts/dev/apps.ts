/** What `bun run dev` starts, in start order (stopped in reverse). */
import { EnvReader, type Env } from "@forecourt/shared/platform";
import type { ScrapeTarget } from "./prometheus.ts";

export interface DevApp {
  name: string;
  entry: string;
  /** Polled after the app logs "ready"; absent for workers without HTTP. */
  readyUrl?: string;
  colour: string;
  /** Variables for this app alone (a worker's METRICS_PORT). */
  env?: Record<string, string>;
}

/** `--observe`: a Prometheus scraping every app, and NATS through the runner's own translation of its monitoring. */
export interface ObservePlan {
  prometheusPort: number;
  natsMetricsPort: number;
  /** Prometheus's config and store; tests point it at a temporary directory. */
  dataDir: string;
  targets: ScrapeTarget[];
}

export interface DevPlan {
  host: string;
  natsUrl: string;
  natsPort: number;
  /** True when NATS_URL was given explicitly (use it if it answers). */
  natsExplicit: boolean;
  monitorPort: number;
  /** JetStream store overriding nats.conf's .data/nats; tests point it at a temporary directory. */
  storeDir?: string;
  ports: { name: string; variable: string; port: number }[];
  apps: DevApp[];
  urls: { label: string; url: string }[];
  observe?: ObservePlan;
}

export function planDev(env: Env, args: readonly string[] = []): DevPlan {
  const reader = new EnvReader(env);
  const host = reader.string("HOST", "127.0.0.1");
  const natsUrl = reader.natsUrl();
  const api = reader.port("API_PORT", 3000);
  const web = reader.port("WEB_PORT", 3001);
  const pricing = reader.port("PRICING_PORT", 50051);
  const pricingHttp = reader.port("PRICING_HTTP_PORT", 3002);
  const monitorPort = reader.port("NATS_MONITOR_PORT", 8222);
  const pricerMetrics = reader.port("PRICER_METRICS_PORT", 3003);
  const auditLogMetrics = reader.port("AUDIT_LOG_METRICS_PORT", 3004);
  const prometheusPort = reader.port("PROMETHEUS_PORT", 9090);
  const natsMetricsPort = reader.port("NATS_METRICS_PORT", 7777);
  const prometheusDataDir = reader.string("PROMETHEUS_DATA_DIR", ".data/prometheus");
  const storeDir = env.NATS_STORE_DIR || undefined;
  const unknown = args.filter((arg) => arg !== "--observe");
  if (unknown.length) reader.problems.push(`unknown argument ${unknown.join(" ")} (bun run dev takes only --observe)`);
  reader.done();
  const natsPort = Number(new URL(natsUrl.split(",")[0]!.includes("://") ? natsUrl.split(",")[0]! : `nats://${natsUrl}`).port || 4222);
  const local = host === "0.0.0.0" ? "127.0.0.1" : host;
  const http = (port: number, path = "") => `http://${local}:${port}${path}`;
  const observe = args.includes("--observe");
  return {
    host,
    natsUrl,
    natsPort,
    natsExplicit: Boolean(env.NATS_URL),
    monitorPort,
    storeDir,
    ports: [
      { name: "API", variable: "API_PORT", port: api },
      { name: "live page", variable: "WEB_PORT", port: web },
      { name: "price calculator (HTTP/2)", variable: "PRICING_PORT", port: pricing },
      { name: "price calculator (HTTP/1.1)", variable: "PRICING_HTTP_PORT", port: pricingHttp },
      { name: "pricer's metrics", variable: "PRICER_METRICS_PORT", port: pricerMetrics },
      { name: "audit log's metrics", variable: "AUDIT_LOG_METRICS_PORT", port: auditLogMetrics },
      ...(observe
        ? [
            { name: "Prometheus", variable: "PROMETHEUS_PORT", port: prometheusPort },
            { name: "NATS metrics", variable: "NATS_METRICS_PORT", port: natsMetricsPort },
          ]
        : []),
    ],
    apps: [
      { name: "pricing", entry: "apps/pricing/src/main.ts", readyUrl: http(pricingHttp, "/health/ready"), colour: "\x1b[35m" },
      { name: "api", entry: "apps/api/src/main.ts", readyUrl: http(api, "/health/ready"), colour: "\x1b[36m" },
      { name: "pricer", entry: "apps/pricer/src/main.ts", colour: "\x1b[33m", env: { METRICS_PORT: String(pricerMetrics) } },
      { name: "audit-log", entry: "apps/audit-log/src/main.ts", colour: "\x1b[32m", env: { METRICS_PORT: String(auditLogMetrics) } },
      { name: "web", entry: "apps/web/src/main.ts", readyUrl: http(web, "/health/ready"), colour: "\x1b[34m" },
    ],
    urls: [
      { label: "API", url: http(api, "/api") },
      { label: "API docs", url: http(api, "/swagger") },
      { label: "Live page", url: http(web, "/") },
      { label: "Price calculator (gRPC, h2c)", url: http(pricing) },
      { label: "Price calculator (Connect, HTTP/1.1)", url: http(pricingHttp) },
      { label: "NATS", url: natsUrl },
      { label: "NATS monitoring", url: `http://127.0.0.1:${monitorPort}` },
      ...(observe ? [{ label: "Prometheus", url: http(prometheusPort) }] : []),
    ],
    observe: observe
      ? {
          prometheusPort,
          natsMetricsPort,
          dataDir: prometheusDataDir,
          targets: [
            { job: "api", address: `${local}:${api}` },
            { job: "web", address: `${local}:${web}` },
            { job: "pricing", address: `${local}:${pricingHttp}` },
            { job: "pricer", address: `${local}:${pricerMetrics}` },
            { job: "audit-log", address: `${local}:${auditLogMetrics}` },
            { job: "nats", address: `127.0.0.1:${natsMetricsPort}` },
            { job: "prometheus", address: `${local}:${prometheusPort}` },
          ],
        }
      : undefined,
  };
}
