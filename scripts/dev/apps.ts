/** What `bun run dev` starts, in start order (stopped in reverse). */
import { EnvReader, type Env } from "@forecourt/shared/platform";

export interface DevApp {
  name: string;
  entry: string;
  /** Polled after the app logs "ready"; absent for workers without HTTP. */
  readyUrl?: string;
  colour: string;
  /** Variables for this app only (an instance's ports), over the ones every app gets. */
  env?: Record<string, string>;
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
  /** `variable`: the port variable in the URL, so each instance's URL can be listed (instances.ts). */
  urls: { label: string; url: string; variable?: string }[];
}

export function planDev(env: Env): DevPlan {
  const reader = new EnvReader(env);
  const host = reader.string("HOST", "127.0.0.1");
  const natsUrl = reader.natsUrl();
  const api = reader.port("API_PORT", 3000);
  const web = reader.port("WEB_PORT", 3001);
  const pricing = reader.port("PRICING_PORT", 50051);
  const pricingHttp = reader.port("PRICING_HTTP_PORT", 3002);
  const monitorPort = reader.port("NATS_MONITOR_PORT", 8222);
  const storeDir = env.NATS_STORE_DIR || undefined;
  reader.done();
  const natsPort = Number(new URL(natsUrl.split(",")[0]!.includes("://") ? natsUrl.split(",")[0]! : `nats://${natsUrl}`).port || 4222);
  const local = host === "0.0.0.0" ? "127.0.0.1" : host;
  const http = (port: number, path = "") => `http://${local}:${port}${path}`;
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
    ],
    apps: [
      { name: "pricing", entry: "apps/pricing/src/main.ts", readyUrl: http(pricingHttp, "/health/ready"), colour: "\x1b[35m" },
      { name: "api", entry: "apps/api/src/main.ts", readyUrl: http(api, "/health/ready"), colour: "\x1b[36m" },
      { name: "pricer", entry: "apps/pricer/src/main.ts", colour: "\x1b[33m" },
      { name: "audit-log", entry: "apps/audit-log/src/main.ts", colour: "\x1b[32m" },
      { name: "web", entry: "apps/web/src/main.ts", readyUrl: http(web, "/health/ready"), colour: "\x1b[34m" },
    ],
    urls: [
      { label: "API", url: http(api, "/api"), variable: "API_PORT" },
      { label: "API docs", url: http(api, "/swagger"), variable: "API_PORT" },
      { label: "Live page", url: http(web, "/"), variable: "WEB_PORT" },
      { label: "Price calculator (gRPC, h2c)", url: http(pricing), variable: "PRICING_PORT" },
      { label: "Price calculator (Connect, HTTP/1.1)", url: http(pricingHttp), variable: "PRICING_HTTP_PORT" },
      { label: "NATS", url: natsUrl },
      { label: "NATS monitoring", url: `http://127.0.0.1:${monitorPort}` },
    ],
  };
}
