import { afterEach, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { AuthorizationError, connect, createInbox } from "@nats-io/transport-node";
import { placedReplicas } from "@forecourt/shared/platform";
import { freePort, isPortFree, portAnswers, waitFor } from "@forecourt/shared/testing";
import { freeStackPorts, stackEnv } from "./dev/stack-env.ts";

const root = join(import.meta.dir, "..");
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

async function devEnv() {
  const store = mkdtempSync(join(tmpdir(), "forecourt-dev-test-"));
  const credentials = mkdtempSync(join(tmpdir(), "forecourt-dev-credentials-"));
  cleanups.push(() => rmSync(store, { recursive: true, force: true }), () => rmSync(credentials, { recursive: true, force: true }));
  const ports = { ...(await freeStackPorts()), prometheus: await freePort(), natsMetrics: await freePort() };
  const env = {
    ...process.env,
    ...stackEnv(ports, { storeDir: store, credentialsDir: credentials, auditLogPath: join(store, "audit-log.jsonl") }),
    PROMETHEUS_PORT: String(ports.prometheus),
    NATS_METRICS_PORT: String(ports.natsMetrics),
    PROMETHEUS_DATA_DIR: join(store, "prometheus"),
  };
  return { env, ports, credentials };
}

function startDev(env: Record<string, string | undefined>, args: string[] = []) {
  const proc = Bun.spawn(["bun", "scripts/dev.ts", ...args], { cwd: root, env, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  let output = "";
  const read = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) output += new TextDecoder().decode(chunk);
  };
  void read(proc.stdout);
  void read(proc.stderr);
  cleanups.push(() => proc.kill("SIGKILL"));
  return { proc, output: () => output };
}

test("bun run dev brings every app to ready, prints the summary, and Ctrl-C stops everything within 5 s", async () => {
  const { env, ports, credentials } = await devEnv();
  const dev = startDev(env);
  await waitFor(() => dev.output().includes("Forecourt is running"), { timeoutMs: 60_000, what: "the summary" });
  for (const url of [`http://127.0.0.1:${ports.api}/api`, `http://127.0.0.1:${ports.web}/`, `http://127.0.0.1:${ports.pricing}`, `http://127.0.0.1:${ports.pricingHttp}`, `http://127.0.0.1:${ports.monitor}`]) {
    expect(dev.output()).toContain(url);
  }
  for (const port of [ports.api, ports.web, ports.pricingHttp]) {
    expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
  }

  // The README's curl line works with the printed demo key; without it the API refuses.
  const key = /export FORECOURT_KEY=(fck_demo_\S+)/.exec(dev.output())?.[1];
  expect(key).toBeDefined();
  expect(readFileSync(join(credentials, "demo-dealer.key"), "utf8").trim()).toBe(key!);
  const post = (authorization?: string) =>
    fetch(`http://127.0.0.1:${ports.api}/api/vehicles`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ registration: "ab12 cde", modelCode: "ford-fiesta", color: "Red", year: 2019 }),
    });
  expect((await post()).status).toBe(401);
  expect((await post(`Bearer ${key}`)).status).toBe(201);

  // NATS wants credentials; the printed inspector line holds the inspector's own password.
  await expect(connect({ servers: env.NATS_URL, maxReconnectAttempts: 0 })).rejects.toBeInstanceOf(AuthorizationError);
  const inspector = readFileSync(join(credentials, "inspector.password"), "utf8").trim();
  expect(dev.output()).toContain(`nats context save forecourt-inspector --server ${env.NATS_URL} --user inspector --password ${inspector}`);
  const nc = await connect({ servers: env.NATS_URL, user: "inspector", pass: inspector, maxReconnectAttempts: 0 });
  await nc.close();
  expect(statSync(credentials).mode & 0o777).toBe(0o700);
  for (const file of ["admin.password", "api.password", "nats-auth.conf", "demo-dealer.key"]) expect([file, statSync(join(credentials, file)).mode & 0o777]).toEqual([file, 0o600]);
  expect(readFileSync(join(credentials, "nats-auth.conf"), "utf8")).not.toContain(inspector);

  const started = Date.now();
  dev.proc.kill("SIGINT");
  expect(await dev.proc.exited).toBe(0);
  expect(Date.now() - started).toBeLessThan(5_000);
  for (const port of Object.values(ports)) expect(await portAnswers(port)).toBe(false);
  const leftovers = Bun.spawnSync(["pgrep", "-f", `-p ${ports.nats}`]).stdout.toString().trim();
  expect(leftovers).toBe("");
}, 90_000);

test("bun run dev --observe brings Prometheus up scraping every app and NATS, each target healthy, with the rules loaded", async () => {
  const { env, ports } = await devEnv();
  const dev = startDev(env, ["--observe"]);
  await waitFor(() => dev.output().includes("Forecourt is running"), { timeoutMs: 90_000, what: "the summary" });
  const prometheus = `http://127.0.0.1:${ports.prometheus}`;
  expect(dev.output()).toMatch(new RegExp(`Prometheus\\s+${prometheus}`));

  type Target = { labels: { job: string }; health: string; lastError: string };
  let targets: Target[] = [];
  const healthy = async () => {
    targets = ((await (await fetch(`${prometheus}/api/v1/targets`)).json()) as { data: { activeTargets: Target[] } }).data.activeTargets;
    return targets.length === 7 && targets.every((t) => t.health === "up");
  };
  await waitFor(healthy, { timeoutMs: 30_000, intervalMs: 500, what: () => `every target up (now ${JSON.stringify(targets.map((t) => [t.labels.job, t.health, t.lastError]))})` });
  expect(targets.map((t) => t.labels.job).sort()).toEqual(["api", "audit-log", "nats", "pricer", "pricing", "prometheus", "web"]);

  const rules = (await (await fetch(`${prometheus}/api/v1/rules`)).json()) as { data: { groups: { rules: { name: string; health: string }[] }[] } };
  const loaded = rules.data.groups.flatMap((g) => g.rules);
  expect(loaded.map((r) => r.name)).toContain("ForecourtConsumerLagGrowing");
  // What Prometheus stored from each scrape answers a query: the durable consumers as NATS and the apps see them.
  const query = async (q: string) => ((await (await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(q)}`)).json()) as { data: { result: { metric: Record<string, string> }[] } }).data.result;
  await waitFor(async () => (await query("forecourt_consumer_pending")).length >= 3, { timeoutMs: 20_000, what: "consumer pending gauges from the apps" });
  expect((await query("nats_consumer_pending")).map((r) => r.metric.consumer).sort()).toEqual(["api-prices", "audit-log", "pricer"]);

  const started = Date.now();
  dev.proc.kill("SIGINT");
  expect(await dev.proc.exited).toBe(0);
  expect(Date.now() - started).toBeLessThan(5_000);
  for (const port of Object.values(ports)) expect(await portAnswers(port)).toBe(false);
}, 150_000);

test("bun run dev --observe without prometheus and without apt-get says how to install it and starts nothing", async () => {
  const { env, ports } = await devEnv();
  // A PATH holding only Bun: neither prometheus nor apt-get (nor nats-server) can be found.
  const bunOnly = mkdtempSync(join(tmpdir(), "forecourt-bun-only-"));
  cleanups.push(() => rmSync(bunOnly, { recursive: true, force: true }));
  symlinkSync(process.execPath, join(bunOnly, "bun"));
  const dev = startDev({ ...env, PATH: bunOnly }, ["--observe"]);
  expect(await dev.proc.exited).toBe(1);
  expect(dev.output().trim()).toBe("dev: prometheus not found on PATH; install it (Debian/Ubuntu: sudo apt-get install prometheus; macOS: brew install prometheus)");
  expect(await portAnswers(ports.nats)).toBe(false);
});

test("a port already taken stops bun run dev with a message naming it", async () => {
  const { env, ports } = await devEnv();
  const squatter = Bun.listen({ hostname: "127.0.0.1", port: ports.api, socket: { data() {} } });
  cleanups.push(() => squatter.stop(true));
  const dev = startDev(env);
  expect(await dev.proc.exited).toBe(1);
  expect(dev.output()).toContain(`port ${ports.api} for the API (API_PORT) is already in use`);
  expect(await portAnswers(ports.nats)).toBe(false);
}, 60_000);

test("a bad port variable stops bun run dev with one line naming the variable", async () => {
  const { env } = await devEnv();
  const dev = startDev({ ...env, WEB_PORT: "web" });
  expect(await dev.proc.exited).toBe(1);
  expect(dev.output().trim()).toBe('dev: invalid configuration: WEB_PORT must be a port number 0-65535, got "web"');
});

test("NATS_REPLICAS=3 on a single server stops bun run dev with one line saying why and what to do", async () => {
  const { env, ports } = await devEnv();
  const dev = startDev({ ...env, NATS_REPLICAS: "3" });
  expect(await dev.proc.exited).toBe(1);
  const refusal = dev.output().split("\n").filter((line) => line.startsWith("dev: "));
  expect(refusal).toEqual([
    "dev: cannot create stream VEHICLES with 3 replicas: replicas > 1 not supported in non-clustered mode (JetStream error 10074); NATS_REPLICAS=3 needs a JetStream cluster of at least 3 servers (bun run dev --cluster), or set NATS_REPLICAS=1",
  ]);
  expect(dev.output()).not.toContain("Forecourt is running");
  expect(await portAnswers(ports.nats)).toBe(false);
}, 60_000);

test("an app given a bad variable exits 1 with one line naming it", async () => {
  const proc = Bun.spawn(["bun", "apps/api/src/main.ts"], { cwd: root, env: { ...process.env, API_PORT: "-3" }, stdout: "pipe", stderr: "pipe" });
  expect(await proc.exited).toBe(1);
  expect((await new Response(proc.stderr).text()).trim()).toBe('api: invalid configuration: API_PORT must be a port number 0-65535, got "-3"');
});

/** A free port whose neighbours at the given offsets are free too (cluster members and instances take base + offset). */
async function freeBase(offsets: number[]): Promise<number> {
  for (;;) {
    const base = await freePort();
    if ((await Promise.all(offsets.map((o) => isPortFree(base + o)))).every(Boolean)) return base;
  }
}

test("bun run dev --cluster runs three NATS servers requiring the same users, with R3 streams and two instances of each app, and Ctrl-C stops them all", async () => {
  const store = mkdtempSync(join(tmpdir(), "forecourt-dev-cluster-"));
  const credentials = join(store, "credentials");
  cleanups.push(() => rmSync(store, { recursive: true, force: true }));
  const three = [0, 1, 2];
  const two = [0, 10];
  const ports = {
    nats: await freeBase(three), cluster: await freeBase(three), monitor: await freeBase(three),
    api: await freeBase(two), web: await freeBase(two), pricing: await freeBase(two), pricingHttp: await freeBase(two), pricerMetrics: await freeBase(two), auditLogMetrics: await freePort(),
  };
  const env = {
    ...process.env,
    ...stackEnv(ports, { storeDir: join(store, "nats"), credentialsDir: credentials, auditLogPath: join(store, "audit.jsonl") }),
    NATS_CLUSTER_PORT: String(ports.cluster),
  };
  const dev = startDev(env, ["--cluster"]);
  await waitFor(() => dev.output().includes("Forecourt is running"), { timeoutMs: 150_000, what: () => `the summary; output so far:\n${dev.output().slice(-2000)}` });

  for (const k of two) {
    expect(dev.output()).toContain(`http://127.0.0.1:${ports.api + k}/api`);
    expect(dev.output()).toContain(`http://127.0.0.1:${ports.web + k}/`);
    for (const port of [ports.api + k, ports.web + k, ports.pricingHttp + k]) expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
    // Each pricer instance serves its own metrics.
    expect((await fetch(`http://127.0.0.1:${ports.pricerMetrics + k}/metrics`)).status).toBe(200);
  }
  const servers = three.map((i) => `nats://127.0.0.1:${ports.nats + i}`);
  for (const [i, server] of servers.entries()) {
    expect(dev.output()).toContain(server);
    expect(existsSync(join(store, `nats-${i + 1}`, "nats.conf"))).toBe(true);
    // Every member refuses anonymous clients, as the single server does.
    await expect(connect({ servers: server, maxReconnectAttempts: 0 })).rejects.toBeInstanceOf(AuthorizationError);
  }
  const admin = readFileSync(join(credentials, "admin.password"), "utf8").trim();
  const nc = await connect({ servers, user: "admin", pass: admin });
  const jsm = await jetstreamManager(nc);
  for (const stream of ["VEHICLES", "DEADLETTER", "KV_vehicles", "KV_catalog-models", "KV_catalog-manufacturers", "KV_dealers"]) {
    const info = await waitFor(async () => {
      const i = await jsm.streams.info(stream);
      return placedReplicas(i) === 3 ? i : undefined;
    }, { what: `${stream} on three servers` });
    expect(info.config.num_replicas).toBe(3);
  }
  await nc.close();
  // What `nats server report jetstream` asks: every server answers the system user (its password kept with the others).
  const password = readFileSync(join(credentials, "sys.password"), "utf8").trim();
  const sys = await connect({ servers: servers[0], user: "sys", pass: password });
  const answers: string[] = [];
  const sub = sys.subscribe(createInbox(), { callback: (_, m) => void answers.push(m.json<{ server: { name: string } }>().server.name) });
  sys.publish("$SYS.REQ.SERVER.PING.JSZ", "{}", { reply: sub.getSubject() });
  await waitFor(() => answers.length === 3, { what: "every server's JetStream report" });
  expect(answers.sort()).toEqual(["nats-1", "nats-2", "nats-3"]);
  await sys.close();

  dev.proc.kill("SIGINT");
  expect(await dev.proc.exited).toBe(0);
  for (const port of [...three.flatMap((i) => [ports.nats + i, ports.cluster + i, ports.monitor + i]), ...two.flatMap((k) => [ports.api + k, ports.web + k, ports.pricing + k, ports.pricingHttp + k])]) {
    expect(await portAnswers(port)).toBe(false);
  }
}, 200_000);
