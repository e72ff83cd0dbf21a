/**
 * A throwaway Forecourt for browser tests, secured as `bun run dev` runs it: its own nats-server (free port,
 * temporary store) requiring credentials, JetStream set up and the demo dealer given a key as NATS user admin,
 * then every app as its own NATS user, on the ports given by E2E_* env vars (or free ones). Prints one line with
 * the URLs when ready; SIGTERM stops all.
 *
 * A small control endpoint on E2E_CONTROL_PORT lets a test see the stack and stop or start one app:
 *   GET  /stack               {"natsUrl", "apiUrl", "webUrl", "dealerKey" (the demo dealer's), "natsAdmin": {"user", "password"},
 *                             "apps": {"web": "running"|"stopped", …}}
 *   POST /apps/<name>/stop    SIGTERM, answers once the process has exited
 *   POST /apps/<name>/start   answers once the app has logged "ready"
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AppUser } from "@forecourt/shared/platform";
import { freePort, startApp, startSecuredNatsServer, type AppProcess } from "@forecourt/shared/testing";
import { DEMO_DEALER } from "../apps/api/src/dealers/dealer-keys.ts";
import { ensureDealerKey, setupJetStream } from "./setup/jetstream-setup.ts";

const ports = {
  api: Number(process.env.E2E_API_PORT ?? await freePort()),
  web: Number(process.env.E2E_WEB_PORT ?? await freePort()),
  pricing: Number(process.env.E2E_PRICING_PORT ?? await freePort()),
  pricingHttp: Number(process.env.E2E_PRICING_HTTP_PORT ?? await freePort()),
  control: Number(process.env.E2E_CONTROL_PORT ?? await freePort()),
};
const nats = await startSecuredNatsServer();
const admin = await nats.connect("admin");
await setupJetStream(admin);
const { key: dealerKey } = await ensureDealerKey(admin, DEMO_DEALER);
await admin.close();
const env = {
  API_PORT: String(ports.api),
  WEB_PORT: String(ports.web),
  PRICING_PORT: String(ports.pricing),
  PRICING_HTTP_PORT: String(ports.pricingHttp),
  API_PUBLIC_URL: `http://127.0.0.1:${ports.api}`,
  AUDIT_LOG_PATH: `${nats.storeDir}/../audit-log.jsonl`,
};
const ORDER: AppUser[] = ["pricing", "api", "pricer", "audit-log", "web"];
const apps = new Map<string, AppProcess | undefined>();
const stopping = new Set<string>();
// Every app's logs and stderr land in e2e/artifacts/stack/, so a failed browser test can be read from the server side.
const logDir = join(import.meta.dir, "..", "e2e", "artifacts", "stack");
mkdirSync(logDir, { recursive: true });
const saveLogs = (name: string, app: AppProcess) => {
  writeFileSync(join(logDir, `${name}.jsonl`), app.logs.map((line) => JSON.stringify(line)).join("\n") + "\n", { flag: "a" });
  if (app.stderr()) writeFileSync(join(logDir, `${name}.stderr.txt`), app.stderr(), { flag: "a" });
};
const start = async (name: AppUser) => {
  const app = await startApp(`apps/${name}/src/main.ts`, { ...env, ...nats.env(name) });
  apps.set(name, app);
  void app.proc.exited.then((code) => {
    saveLogs(name, app);
    // A stop asked for here, or a signal to the whole process group (Playwright's shutdown): not a crash.
    if (stopping.has(name) || app.logs.some((line) => line.msg === "stopped")) return;
    apps.set(name, undefined);
    console.error(`stack: ${name} exited unexpectedly (code ${code}); last lines:\n${app.logs.slice(-10).map((l) => JSON.stringify(l)).join("\n")}\n${app.stderr()}`);
  });
};
const kill = async (name: string) => {
  stopping.add(name);
  await apps.get(name)?.kill();
  stopping.delete(name);
};

let control: ReturnType<typeof Bun.serve> | undefined;
const stop = async () => {
  control?.stop(true);
  for (const name of [...ORDER].reverse()) await kill(name);
  await nats.dispose();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
try {
  for (const name of ORDER) await start(name);
} catch (error) {
  console.error(`stack: ${String(error)}`);
  await stop();
}

control = Bun.serve({
  hostname: "127.0.0.1",
  port: ports.control,
  async fetch(request) {
    const url = new URL(request.url);
    if (request.method === "GET" && url.pathname === "/stack") {
      const states = Object.fromEntries(ORDER.map((name) => [name, apps.get(name) ? "running" : "stopped"]));
      const natsAdmin = { user: "admin", password: nats.passwords.admin };
      return Response.json({ natsUrl: nats.url, apiUrl: env.API_PUBLIC_URL, webUrl: `http://127.0.0.1:${ports.web}`, dealerKey, natsAdmin, apps: states });
    }
    const match = /^\/apps\/([a-z-]+)\/(stop|start)$/.exec(url.pathname);
    if (request.method !== "POST" || !match || !ORDER.includes(match[1] as AppUser)) return new Response("not found\n", { status: 404 });
    const [, name, action] = match as unknown as [string, AppUser, "stop" | "start"];
    if (action === "stop") {
      await kill(name);
      apps.set(name, undefined);
    } else if (!apps.get(name)) {
      await start(name);
    }
    return Response.json({ app: name, state: apps.get(name) ? "running" : "stopped" });
  },
});
console.log(`stack ready: nats=${nats.url} api=http://127.0.0.1:${ports.api} web=http://127.0.0.1:${ports.web} control=http://127.0.0.1:${ports.control}`);
