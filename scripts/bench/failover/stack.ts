/**
 * Forecourt as processes against a given NATS (a test cluster or a single server): N instances of api,
 * pricing, pricer and web, one audit log, each HTTP instance on a free port. As `bun run dev` does, admin sets
 * JetStream up first (streams and buckets with the replicas asked for, the durables, a dealer whose key the load
 * writes with) and every app connects as its own NATS user. For the cluster failover test, the failover
 * programme and the scaling benchmark.
 */
import { join } from "node:path";
import type { AppUser } from "@forecourt/shared/platform";
import { freePort, startApp, type AppProcess, type TestUsers } from "@forecourt/shared/testing";
import { loadConfig as loadPricerConfig } from "../../../apps/pricer/src/config.ts";
import { ensureDealerKey, setupJetStream } from "../../setup/jetstream-setup.ts";

const root = join(import.meta.dir, "../../..");
const entry = (app: string) => join(root, `apps/${app}/src/main.ts`);

export interface StackInstances {
  api: number;
  pricing: number;
  pricer: number;
  web: number;
}

export interface StackOptions {
  natsUrl: string;
  /** The NATS users the server requires (startNatsCluster's `secured`, or startSecuredNatsServer itself). */
  users: Pick<TestUsers, "env" | "connect">;
  replicas: number;
  instances: StackInstances;
  auditPath: string;
  /** Extra variables for every app (LOG_LEVEL, PRICER_CONCURRENCY, …). */
  env?: Record<string, string>;
}

export interface StackApp {
  name: string;
  process: AppProcess;
  /** The HTTP base URL of api and web instances. */
  url?: string;
}

export interface Stack {
  apps: StackApp[];
  apiUrls: string[];
  webUrls: string[];
  /** The dealer key writes send: `authorization: Bearer <key>`. */
  dealerKey: string;
  /** Every app still running and, for those with HTTP, answering /health/ready with 200. */
  allReady(): Promise<{ name: string; ready: boolean }[]>;
  stop(): Promise<void>;
}

export async function startStack({ natsUrl, users, replicas, instances, auditPath, env = {} }: StackOptions): Promise<Stack> {
  // The load is one dealer writing far faster than a dealer may: no write rate limit here.
  const common = { NATS_URL: natsUrl, NATS_REPLICAS: String(replicas), DEMO_VEHICLES: "0", LOG_LEVEL: "info", API_WRITES_PER_SECOND: "0", ...env };
  const admin = await users.connect("admin", { name: "forecourt-stack" });
  let dealerKey: string;
  try {
    await setupJetStream(admin, { replicas, pricer: loadPricerConfig(common).consumer });
    dealerKey = (await ensureDealerKey(admin, "failover")).key;
  } finally {
    await admin.close();
  }

  const apps: StackApp[] = [];
  const start = async (name: string, app: AppUser, own: Record<string, string>, url?: string) => {
    const process = await startApp(entry(app), { ...common, ...users.env(app), NATS_URL: natsUrl, ...own });
    apps.push({ name, process, url });
  };
  const stack: Stack = {
    apps,
    apiUrls: [],
    webUrls: [],
    dealerKey,
    async allReady() {
      return Promise.all(
        apps.map(async ({ name, process, url }) => {
          if (process.proc.exitCode !== null) return { name, ready: false };
          if (!url) return { name, ready: true };
          const ok = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
          return { name, ready: ok };
        }),
      );
    },
    async stop() {
      await Promise.all([...apps].reverse().map((a) => a.process.kill("SIGTERM")));
    },
  };
  try {
    const pricingPorts: number[] = [];
    for (let i = 1; i <= instances.pricing; i++) {
      const port = await freePort();
      pricingPorts.push(port);
      await start(`pricing-${i}`, "pricing", { PRICING_PORT: String(port), PRICING_HTTP_PORT: String(await freePort()) });
    }
    const apiPorts: number[] = [];
    for (let i = 1; i <= instances.api; i++) {
      const port = await freePort();
      apiPorts.push(port);
      stack.apiUrls.push(`http://127.0.0.1:${port}`);
      await start(`api-${i}`, "api", { API_PORT: String(port) }, `http://127.0.0.1:${port}`);
    }
    const pricingUrl = pricingPorts.map((p) => `http://127.0.0.1:${p}`).join(",");
    for (let i = 1; i <= instances.pricer; i++) await start(`pricer-${i}`, "pricer", { PRICING_URL: pricingUrl });
    await start("audit-log", "audit-log", { AUDIT_LOG_PATH: auditPath });
    for (let i = 1; i <= instances.web; i++) {
      const port = await freePort();
      stack.webUrls.push(`http://127.0.0.1:${port}`);
      await start(`web-${i}`, "web", { WEB_PORT: String(port), API_PORT: String(apiPorts[(i - 1) % apiPorts.length]) }, `http://127.0.0.1:${port}`);
    }
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}
