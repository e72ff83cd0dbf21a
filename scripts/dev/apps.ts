/** What `bun run dev` starts, in start order (stopped in reverse). */
import { ConfigError, EnvReader, type AppUser, type Env } from "@forecourt/shared/platform";
import type { ScrapeTarget } from "./prometheus.ts";
import type { DevOptions } from "./workshop-args.ts";

export interface DevApp {
  /** In logs and the summary: the app, or one instance of it (`api-2`, scripts/dev/instances.ts). */
  name: string;
  /** Which app it is, and the NATS user it connects as. */
  user: AppUser;
  entry: string;
  /** Polled after the app logs "ready"; absent for workers without HTTP. */
  readyUrl?: string;
  colour: string;
  /** Variables for this app only (a worker's METRICS_PORT, an instance's ports), over the ones every app gets. */
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
  /** A stack's own data folder (a participant's, or a port offset's): its store, audit log and credentials live there. */
  dataDir?: string;
  /** JetStream store overriding nats.conf's .data/nats: NATS_STORE_DIR, or the stack's own data dir. */
  storeDir?: string;
  /** The link shaper's listen and control ports (with --shape). */
  link: { port: number; controlPort: number };
  ports: { name: string; variable: string; port: number; app?: string }[];
  apps: DevApp[];
  /** What every app gets in its environment on top of the runner's. */
  appEnv: Record<string, string>;
  /** `variable`: the port variable in the URL, so each instance's URL can be listed (instances.ts); `app`: whose URL it is (--only). */
  urls: { label: string; url: string; variable?: string; app?: string }[];
  observe?: ObservePlan;
}

const NO_OPTIONS: DevOptions = { portOffset: 0, without: [], shape: false };

export const participantDataDir = (participant: string) => `.data/participant-${participant}`;

/**
 * A stack's own data dir under .data: a joined participant's is named after it (its streams carry its name), another
 * stack on a port offset gets one per offset; the default stack keeps .data/nats and .data/audit-log.jsonl.
 */
export function stackDataDir(options: DevOptions): string | undefined {
  if (options.join) return participantDataDir(options.join.participant);
  if (options.portOffset > 0) return `.data/offset-${options.portOffset}`;
  return undefined;
}

/** `bun run dev --only api,pricing`: those apps (and NATS) alone, in the usual order; unknown names are refused. */
export function onlyApps(plan: DevPlan, names: readonly string[]): DevPlan {
  const known: readonly string[] = plan.apps.map((a) => a.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length) throw new ConfigError([`--only takes app names from ${known.join(", ")}; got ${unknown.join(", ")}`]);
  const wanted = (app?: string) => app === undefined || names.includes(app);
  // Prometheus scrapes NATS, itself and the apps that run.
  const scraped = (job: string) => !known.includes(job) || names.includes(job);
  const observe = plan.observe && { ...plan.observe, targets: plan.observe.targets.filter((t) => scraped(t.job)) };
  return { ...plan, apps: plan.apps.filter((a) => wanted(a.name)), ports: plan.ports.filter((p) => wanted(p.app)), urls: plan.urls.filter((u) => wanted(u.app)), observe };
}

export function planDev(env: Env, options: DevOptions = NO_OPTIONS): DevPlan {
  const reader = new EnvReader(env);
  const offset = options.portOffset;
  const shifted = (name: string, given: number) => {
    const port = given + offset;
    if (port > 65535) reader.problems.push(`${name} plus --port-offset ${offset} is ${port}, beyond 65535`);
    return port;
  };
  const host = reader.string("HOST", "127.0.0.1");
  const givenNatsUrl = reader.natsUrl();
  const api = shifted("API_PORT", reader.port("API_PORT", 3000));
  const web = shifted("WEB_PORT", reader.port("WEB_PORT", 3001));
  const pricing = shifted("PRICING_PORT", reader.port("PRICING_PORT", 50051));
  const pricingHttp = shifted("PRICING_HTTP_PORT", reader.port("PRICING_HTTP_PORT", 3002));
  const monitorPort = shifted("NATS_MONITOR_PORT", reader.port("NATS_MONITOR_PORT", 8222));
  const pricerMetrics = shifted("PRICER_METRICS_PORT", reader.port("PRICER_METRICS_PORT", 3003));
  const auditLogMetrics = shifted("AUDIT_LOG_METRICS_PORT", reader.port("AUDIT_LOG_METRICS_PORT", 3004));
  const prometheusPort = shifted("PROMETHEUS_PORT", reader.port("PROMETHEUS_PORT", 9090));
  const natsMetricsPort = shifted("NATS_METRICS_PORT", reader.port("NATS_METRICS_PORT", 7777));
  const link = { port: shifted("LINK_PORT", reader.port("LINK_PORT", 7423)), controlPort: shifted("LINK_CONTROL_PORT", reader.port("LINK_CONTROL_PORT", 7501)) };
  const dataDir = stackDataDir(options);
  const prometheusDataDir = reader.string("PROMETHEUS_DATA_DIR", `${dataDir ?? ".data"}/prometheus`);
  const storeDir = env.NATS_STORE_DIR || (dataDir && `${dataDir}/nats`);
  const firstNats = new URL(givenNatsUrl.split(",")[0]!.includes("://") ? givenNatsUrl.split(",")[0]! : `nats://${givenNatsUrl}`);
  const natsPort = Number(firstNats.port || 4222) + offset;
  if (natsPort > 65535) reader.problems.push(`the NATS port plus --port-offset ${offset} is ${natsPort}, beyond 65535`);
  reader.done();
  // With an offset the stack talks to its own NATS on the shifted port.
  const natsUrl = offset === 0 ? givenNatsUrl : `nats://${firstNats.hostname}:${natsPort}`;
  const local = host === "0.0.0.0" ? "127.0.0.1" : host;
  const http = (port: number, path = "") => `http://${local}:${port}${path}`;
  const observe = options.observe === true;
  const withPricing = !options.without.includes("pricing");
  const apps: DevApp[] = [
    { name: "pricing", user: "pricing", entry: "apps/pricing/src/main.ts", readyUrl: http(pricingHttp, "/health/ready"), colour: "\x1b[35m" },
    { name: "api", user: "api", entry: "apps/api/src/main.ts", readyUrl: http(api, "/health/ready"), colour: "\x1b[36m" },
    { name: "pricer", user: "pricer", entry: "apps/pricer/src/main.ts", colour: "\x1b[33m", env: { METRICS_PORT: String(pricerMetrics) } },
    { name: "audit-log", user: "audit-log", entry: "apps/audit-log/src/main.ts", colour: "\x1b[32m", env: { METRICS_PORT: String(auditLogMetrics) } },
    { name: "web", user: "web", entry: "apps/web/src/main.ts", readyUrl: http(web, "/health/ready"), colour: "\x1b[34m" },
  ];
  const appEnv: Record<string, string> = {
    NATS_URL: natsUrl,
    HOST: host,
    API_PORT: String(api),
    WEB_PORT: String(web),
    PRICING_PORT: String(pricing),
    PRICING_HTTP_PORT: String(pricingHttp),
    NATS_MONITOR_URL: `http://127.0.0.1:${monitorPort}`,
    ...(options.participant ? { FORECOURT_PARTICIPANT: options.participant } : {}),
    ...(dataDir && !env.AUDIT_LOG_PATH ? { AUDIT_LOG_PATH: `${dataDir}/audit-log.jsonl` } : {}),
    // The API's list index between runs, beside the stack's NATS store.
    ...(!env.API_SNAPSHOT_PATH ? { API_SNAPSHOT_PATH: `${dataDir ?? ".data"}/api/vehicle-index.snapshot` } : {}),
    // No calculator of its own: the pricer asks whichever participant's answers forecourt.pricing.get-price.
    ...(withPricing ? {} : { PRICING_TRANSPORT: "nats" }),
    // The live page's link panel calls the shaper's control API.
    ...(options.shape ? { LINK_CONTROL_URL: `http://127.0.0.1:${link.controlPort}` } : {}),
  };
  const plan: DevPlan = {
    host,
    natsUrl,
    natsPort,
    natsExplicit: Boolean(env.NATS_URL),
    monitorPort,
    dataDir,
    storeDir,
    link,
    ports: [
      { name: "API", variable: "API_PORT", port: api, app: "api" },
      { name: "live page", variable: "WEB_PORT", port: web, app: "web" },
      ...(withPricing
        ? [
            { name: "price calculator (HTTP/2)", variable: "PRICING_PORT", port: pricing, app: "pricing" },
            { name: "price calculator (HTTP/1.1)", variable: "PRICING_HTTP_PORT", port: pricingHttp, app: "pricing" },
          ]
        : []),
      { name: "pricer's metrics", variable: "PRICER_METRICS_PORT", port: pricerMetrics, app: "pricer" },
      { name: "audit log's metrics", variable: "AUDIT_LOG_METRICS_PORT", port: auditLogMetrics, app: "audit-log" },
      ...(observe
        ? [
            { name: "Prometheus", variable: "PROMETHEUS_PORT", port: prometheusPort },
            { name: "NATS metrics", variable: "NATS_METRICS_PORT", port: natsMetricsPort },
          ]
        : []),
      ...(options.shape ? [{ name: "link shaper", variable: "LINK_PORT", port: link.port }, { name: "link shaper control", variable: "LINK_CONTROL_PORT", port: link.controlPort }] : []),
    ],
    apps: apps.filter((app) => withPricing || app.name !== "pricing"),
    appEnv,
    urls: [
      { label: "API", url: http(api, "/api"), variable: "API_PORT", app: "api" },
      { label: "API docs", url: http(api, "/swagger"), variable: "API_PORT", app: "api" },
      { label: "Live page", url: http(web, "/"), variable: "WEB_PORT", app: "web" },
      ...(withPricing
        ? [
            { label: "Price calculator (gRPC, h2c)", url: http(pricing), variable: "PRICING_PORT", app: "pricing" },
            { label: "Price calculator (Connect, HTTP/1.1)", url: http(pricingHttp), variable: "PRICING_HTTP_PORT", app: "pricing" },
          ]
        : [{ label: "Price calculator", url: "none here (--without pricing): the pricer asks forecourt.pricing.get-price over NATS" }]),
      { label: "NATS", url: natsUrl },
      { label: "NATS monitoring", url: `http://127.0.0.1:${monitorPort}` },
      ...(options.shape ? [{ label: "Link shaper control", url: `bun run link status --control 127.0.0.1:${link.controlPort}` }] : []),
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
            ...(withPricing ? [{ job: "pricing", address: `${local}:${pricingHttp}` }] : []),
            { job: "pricer", address: `${local}:${pricerMetrics}` },
            { job: "audit-log", address: `${local}:${auditLogMetrics}` },
            { job: "nats", address: `127.0.0.1:${natsMetricsPort}` },
            { job: "prometheus", address: `${local}:${prometheusPort}` },
          ],
        }
      : undefined,
  };
  return options.only?.length ? onlyApps(plan, options.only) : plan;
}
