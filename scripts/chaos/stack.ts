/**
 * The stack a fault run owns: NATS requiring Forecourt's users (a nats-server, or a cluster, on free ports with
 * temporary stores), JetStream set up as `admin` as `bun run dev` does (streams and buckets with the replicas asked
 * for, the durables, a dealer whose key the load writes with), and every app as its own process on free ports,
 * connected as its own NATS user, started with the test helpers. Instances can be SIGKILLed and started again; `ready`
 * says whether one is ready by its own account: GET /health/ready for HTTP apps, the micro service stats (`ready`) of
 * that very instance for workers. The run's own connection (`nc`) is admin's.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SERVICES } from "@forecourt/shared/contracts";
import { freePort, startApp, waitFor, type AppProcess, type TestUsers } from "@forecourt/shared/testing";
import type { NatsConnection } from "@nats-io/transport-node";
import { loadConfig as loadPricerConfig } from "../../apps/pricer/src/config.ts";
import { ensureDealerKey, setupJetStream } from "../setup/jetstream-setup.ts";

export type AppName = "api" | "pricer" | "pricing" | "audit-log" | "web";

export interface InstanceSpec {
  name: string;
  app: AppName;
  env: Record<string, string>;
  /** The HTTP base URL for apps that serve HTTP. */
  url?: string;
}

/** The NATS a stack runs on: its client URL(s) and how to get rid of it. Faults act on the server or cluster itself. */
export interface StackNats {
  url: string;
  dispose(): Promise<void>;
}

export interface Stack {
  nats: StackNats;
  /** The run's own connection, as admin (reconnects forever): readiness, verification. */
  nc: NatsConnection;
  /** The key of the dealer the load writes as: `authorization: Bearer <key>`. */
  dealerKey: string;
  dir: string;
  auditPath: string;
  specs: InstanceSpec[];
  /** Base URLs of the API instances running and seen ready since they started (as a load balancer would route). */
  apiUrls(): string[];
  /** Base URLs of every web instance. */
  webUrls: string[];
  /** Each instance and whether it is ready now. */
  allReady(): Promise<{ name: string; ready: boolean }[]>;
  running(name: string): boolean;
  kill(name: string): Promise<void>;
  start(name: string): Promise<void>;
  ready(name: string): Promise<boolean>;
  /** Resolves with the milliseconds until the instance is ready, or throws after the timeout. */
  whenReady(name: string, timeoutMs?: number): Promise<number>;
  /** Instances that exited on their own (and were started again, as a supervisor would). */
  exits: { name: string; code: number | null; stderr: string }[];
  stop(): Promise<void>;
}

const ROOT = join(import.meta.dir, "..", "..");

/** The error line of a crash and where in Forecourt's own code it was thrown from. */
export function crashSummary(stderr: string): string {
  const lines = stderr.split("\n").map((line) => line.trim());
  const error = lines.find((line) => /^(\w*Error|error)\b.*:/.test(line));
  const frame = lines.find((line) => line.startsWith("at ") && line.includes(ROOT) && !line.includes("node_modules"));
  return [error, frame?.replace(ROOT + "/", "")].filter(Boolean).join(" ") || lines.filter(Boolean).slice(-2).join(" | ") || "no stderr";
}
const SERVICE_OF: Partial<Record<AppName, string>> = { pricer: SERVICES.pricer, "audit-log": SERVICES.auditLog };

export interface StackOptions {
  dir: string;
  /** The NATS the apps use and the faults hit: a secured server, or a secured cluster (url listing every server). */
  nats: StackNats;
  /** The users that NATS requires (startSecuredNatsServer itself, or startNatsCluster's `users`). */
  users: Pick<TestUsers, "env" | "connect">;
  /** NATS_REPLICAS: copies of every stream and bucket (3 on a cluster). */
  replicas?: number;
  instances: Record<AppName, number>;
  /** Extra environment for every app. */
  env?: Record<string, string>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const { dir } = options;
  mkdirSync(join(dir, "logs"), { recursive: true });
  const { nats, users } = options;
  const replicas = options.replicas ?? 1;
  const auditPath = join(dir, "audit-log.jsonl");
  const pricingPorts = await Promise.all(Array.from({ length: options.instances.pricing }, () => freePort()));
  // The load is one dealer writing far faster than a dealer may: no write rate limit here. Every pricer calls every calculator.
  const base = {
    LOG_LEVEL: "info",
    DEMO_VEHICLES: "0",
    AUDIT_LOG_PATH: auditPath,
    API_WRITES_PER_SECOND: "0",
    NATS_REPLICAS: String(replicas),
    PRICING_URL: pricingPorts.map((port) => `http://127.0.0.1:${port}`).join(","),
    ...options.env,
  };
  const nc = await users.connect("admin", { name: "forecourt-chaos", maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  // As bun run dev: admin sets JetStream up, with the pricer's consumer settings, before any app starts.
  await setupJetStream(nc, { replicas, pricer: loadPricerConfig(base).consumer });
  const dealerKey = (await ensureDealerKey(nc, "chaos")).key;
  const specs: InstanceSpec[] = [];
  for (const [app, count] of Object.entries(options.instances) as [AppName, number][]) {
    for (let i = 1; i <= count; i++) {
      const name = `${app}-${i}`;
      const env: Record<string, string> = { ...base, ...users.env(app), NATS_URL: nats.url };
      let url: string | undefined;
      if (app === "api") env.API_PORT = String(await freePort());
      if (app === "web") env.WEB_PORT = String(await freePort());
      if (app === "pricing") {
        env.PRICING_PORT = String(pricingPorts[i - 1]);
        env.PRICING_HTTP_PORT = String(await freePort());
      }
      const httpPort = env.API_PORT ?? env.WEB_PORT ?? env.PRICING_HTTP_PORT;
      if (httpPort) url = `http://127.0.0.1:${httpPort}`;
      specs.push({ name, app, env, url });
    }
  }
  const apiSpec = specs.find((s) => s.app === "api");
  for (const spec of specs) if (spec.app === "web" && apiSpec) spec.env.API_PUBLIC_URL = apiSpec.url!;

  const processes = new Map<string, AppProcess>();
  /** Instances seen ready since their last start: where a load balancer with health checks would send traffic. */
  const admitted = new Set<string>();
  const generation = new Map<string, number>();
  const spec = (name: string) => specs.find((s) => s.name === name) ?? (() => { throw new Error(`no instance ${name}`); })();

  /** Keeps what an instance logged (and its stderr) next to the run, for reading after a failure. */
  const saveLogs = (name: string, app: AppProcess) => {
    const n = generation.get(name) ?? 0;
    writeFileSync(join(dir, "logs", `${name}.${n}.jsonl`), app.logs.map((line) => JSON.stringify(line)).join("\n") + "\n");
    if (app.stderr()) writeFileSync(join(dir, "logs", `${name}.${n}.stderr.txt`), app.stderr());
  };

  const exits: Stack["exits"] = [];
  let stopping = false;
  const start = async (name: string) => {
    const s = spec(name);
    generation.set(name, (generation.get(name) ?? 0) + 1);
    admitted.delete(name);
    const app = await startApp(join(ROOT, "apps", s.app, "src", "main.ts"), s.env, { waitReady: false });
    processes.set(name, app);
    // Like a supervisor (systemd, Kubernetes): an instance that exits on its own is started again, and counted.
    void app.proc.exited.then(async (code) => {
      if (stopping || processes.get(name) !== app) return;
      processes.delete(name);
      admitted.delete(name);
      saveLogs(name, app);
      exits.push({ name, code, stderr: crashSummary(app.stderr()) });
      console.error(`chaos: ${name} exited on its own (code ${code}); starting it again`);
      await Bun.sleep(500);
      if (!stopping && !processes.has(name)) await start(name);
    });
  };

  const kill = async (name: string) => {
    const app = processes.get(name);
    if (!app) return;
    processes.delete(name);
    admitted.delete(name);
    await app.kill("SIGKILL");
    saveLogs(name, app);
  };

  const ready = async (name: string): Promise<boolean> => {
    const s = spec(name);
    const app = processes.get(name);
    if (!app || app.proc.exitCode !== null || app.proc.signalCode !== null) return false;
    if (s.url) {
      const res = await fetch(`${s.url}/health/ready`, { signal: AbortSignal.timeout(1_000) }).catch(() => undefined);
      return res?.status === 200;
    }
    // A worker names its micro service instance in its "ready" line; ask that instance, not any of its kind.
    const id = app.logs.find((line) => line.msg === "ready")?.instance;
    if (typeof id !== "string") return false;
    try {
      const reply = await nc.request(`$SRV.STATS.${SERVICE_OF[s.app]}.${id}`, "", { timeout: 1_000 });
      const stats = reply.json<{ endpoints?: { data?: { ready?: boolean } }[] }>();
      return stats.endpoints?.some((e) => e.data?.ready === true) ?? false;
    } catch {
      return false;
    }
  };

  const whenReady = async (name: string, timeoutMs = 60_000) => {
    const started = performance.now();
    await waitFor(() => ready(name), { timeoutMs, intervalMs: 100, what: `${name} to be ready` });
    if (processes.has(name)) admitted.add(name);
    return performance.now() - started;
  };

  // Order matters only for the first start: the price calculator before its callers, the API before the web page.
  for (const s of specs) await start(s.name);
  await Promise.all(specs.map((s) => whenReady(s.name, 90_000)));

  return {
    nats,
    nc,
    dealerKey,
    dir,
    auditPath,
    specs,
    apiUrls: () => specs.filter((s) => s.app === "api" && admitted.has(s.name)).map((s) => s.url!),
    webUrls: specs.filter((s) => s.app === "web").map((s) => s.url!),
    allReady: () => Promise.all(specs.map(async (s) => ({ name: s.name, ready: await ready(s.name) }))),
    running: (name) => processes.has(name),
    kill,
    start,
    ready,
    whenReady,
    exits,
    async stop() {
      stopping = true;
      for (const s of [...specs].reverse()) {
        const app = processes.get(s.name);
        if (!app) continue;
        processes.delete(s.name);
        await app.kill("SIGTERM");
        saveLogs(s.name, app);
      }
      await nc.close().catch(() => {});
      await nats.dispose();
    },
  };
}
