/**
 * Forecourt as processes against a given NATS (a test cluster or a single server): N instances of api,
 * pricing, pricer and web, one audit log, each HTTP instance on a free port, streams and buckets ensured
 * with the replicas asked for before any app starts (as `bun run dev` does). For the cluster failover test,
 * the failover programme and the scaling benchmark.
 */
import { join } from "node:path";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { ensureBuckets, ensureStreams } from "@forecourt/shared/platform";
import { freePort, startApp, type AppProcess } from "@forecourt/shared/testing";

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
  /** Every app still running and, for those with HTTP, answering /health/ready with 200. */
  allReady(): Promise<{ name: string; ready: boolean }[]>;
  stop(): Promise<void>;
}

export async function startStack({ natsUrl, replicas, instances, auditPath, env = {} }: StackOptions): Promise<Stack> {
  const admin = await connect({ servers: natsUrl.split(","), name: "forecourt-stack" });
  await ensureStreams(await jetstreamManager(admin), { replicas });
  await ensureBuckets(jetstream(admin), { replicas });
  await admin.close();

  const apps: StackApp[] = [];
  const common = { NATS_URL: natsUrl, NATS_REPLICAS: String(replicas), DEMO_VEHICLES: "0", LOG_LEVEL: "info", ...env };
  const start = async (name: string, app: string, own: Record<string, string>, url?: string) => {
    const process = await startApp(entry(app), { ...common, ...own });
    apps.push({ name, process, url });
  };
  const stack: Stack = {
    apps,
    apiUrls: [],
    webUrls: [],
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
