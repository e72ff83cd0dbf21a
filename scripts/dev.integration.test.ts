import { afterEach, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, createInbox } from "@nats-io/transport-node";
import { placedReplicas } from "@forecourt/shared/platform";
import { freePort, isPortFree, portAnswers, waitFor } from "@forecourt/shared/testing";

const root = join(import.meta.dir, "..");
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

async function devEnv() {
  const store = mkdtempSync(join(tmpdir(), "forecourt-dev-test-"));
  cleanups.push(() => rmSync(store, { recursive: true, force: true }));
  const ports = { nats: await freePort(), monitor: await freePort(), api: await freePort(), web: await freePort(), pricing: await freePort(), pricingHttp: await freePort() };
  const env = {
    ...process.env,
    NATS_URL: `nats://127.0.0.1:${ports.nats}`,
    NATS_MONITOR_PORT: String(ports.monitor),
    NATS_STORE_DIR: store,
    API_PORT: String(ports.api),
    WEB_PORT: String(ports.web),
    PRICING_PORT: String(ports.pricing),
    PRICING_HTTP_PORT: String(ports.pricingHttp),
  };
  return { env, ports };
}

function startDev(env: Record<string, string | undefined>) {
  const proc = Bun.spawn(["bun", "scripts/dev.ts"], { cwd: root, env, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
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
  const { env, ports } = await devEnv();
  const dev = startDev(env);
  await waitFor(() => dev.output().includes("Forecourt is running"), { timeoutMs: 60_000, what: "the summary" });
  for (const url of [`http://127.0.0.1:${ports.api}/api`, `http://127.0.0.1:${ports.web}/`, `http://127.0.0.1:${ports.pricing}`, `http://127.0.0.1:${ports.pricingHttp}`, `http://127.0.0.1:${ports.monitor}`]) {
    expect(dev.output()).toContain(url);
  }
  for (const port of [ports.api, ports.web, ports.pricingHttp]) {
    expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
  }

  const started = Date.now();
  dev.proc.kill("SIGINT");
  expect(await dev.proc.exited).toBe(0);
  expect(Date.now() - started).toBeLessThan(5_000);
  for (const port of Object.values(ports)) expect(await portAnswers(port)).toBe(false);
  const leftovers = Bun.spawnSync(["pgrep", "-f", `-p ${ports.nats}`]).stdout.toString().trim();
  expect(leftovers).toBe("");
}, 90_000);

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

test("bun run dev --cluster runs three NATS servers with R3 streams and two instances of each app, and Ctrl-C stops them all", async () => {
  const store = mkdtempSync(join(tmpdir(), "forecourt-dev-cluster-"));
  cleanups.push(() => rmSync(store, { recursive: true, force: true }));
  const three = [0, 1, 2];
  const two = [0, 10];
  const ports = {
    nats: await freeBase(three), cluster: await freeBase(three), monitor: await freeBase(three),
    api: await freeBase(two), web: await freeBase(two), pricing: await freeBase(two), pricingHttp: await freeBase(two),
  };
  const env = {
    ...process.env,
    NATS_URL: `nats://127.0.0.1:${ports.nats}`,
    NATS_CLUSTER_PORT: String(ports.cluster),
    NATS_MONITOR_PORT: String(ports.monitor),
    NATS_STORE_DIR: join(store, "nats"),
    API_PORT: String(ports.api),
    WEB_PORT: String(ports.web),
    PRICING_PORT: String(ports.pricing),
    PRICING_HTTP_PORT: String(ports.pricingHttp),
    AUDIT_LOG_PATH: join(store, "audit.jsonl"),
  };
  const proc = Bun.spawn(["bun", "scripts/dev.ts", "--cluster"], { cwd: root, env, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  let output = "";
  void (async () => {
    for await (const chunk of proc.stdout) output += new TextDecoder().decode(chunk);
  })();
  void (async () => {
    for await (const chunk of proc.stderr) output += new TextDecoder().decode(chunk);
  })();
  cleanups.push(() => proc.kill("SIGKILL"));
  await waitFor(() => output.includes("Forecourt is running"), { timeoutMs: 120_000, what: () => `the summary; output so far:\n${output.slice(-2000)}` });

  for (const k of two) {
    expect(output).toContain(`http://127.0.0.1:${ports.api + k}/api`);
    expect(output).toContain(`http://127.0.0.1:${ports.web + k}/`);
    for (const port of [ports.api + k, ports.web + k, ports.pricingHttp + k]) expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
  }
  for (const i of three) {
    expect(output).toContain(`nats://127.0.0.1:${ports.nats + i}`);
    expect(existsSync(join(store, `nats-${i + 1}`, "nats.conf"))).toBe(true);
  }
  const nc = await connect({ servers: three.map((i) => `nats://127.0.0.1:${ports.nats + i}`) });
  const jsm = await jetstreamManager(nc);
  for (const stream of ["VEHICLES", "DEADLETTER", "KV_vehicles", "KV_catalog-models", "KV_catalog-manufacturers"]) {
    const info = await waitFor(async () => {
      const i = await jsm.streams.info(stream);
      return placedReplicas(i) === 3 ? i : undefined;
    }, { what: `${stream} on three servers` });
    expect(info.config.num_replicas).toBe(3);
  }
  await nc.close();
  // What `nats server report jetstream` asks: every server answers the system user (its password kept beside the stores).
  const password = readFileSync(join(store, "nats-sys-password"), "utf8").trim();
  const sys = await connect({ servers: `nats://127.0.0.1:${ports.nats}`, user: "sys", pass: password });
  const answers: string[] = [];
  const sub = sys.subscribe(createInbox(), { callback: (_, m) => void answers.push(m.json<{ server: { name: string } }>().server.name) });
  sys.publish("$SYS.REQ.SERVER.PING.JSZ", "{}", { reply: sub.getSubject() });
  await waitFor(() => answers.length === 3, { what: "every server's JetStream report" });
  expect(answers.sort()).toEqual(["nats-1", "nats-2", "nats-3"]);
  await sys.close();

  proc.kill("SIGINT");
  expect(await proc.exited).toBe(0);
  for (const port of [...three.flatMap((i) => [ports.nats + i, ports.cluster + i, ports.monitor + i]), ...two.flatMap((k) => [ports.api + k, ports.web + k, ports.pricing + k, ports.pricingHttp + k])]) {
    expect(await portAnswers(port)).toBe(false);
  }
}, 180_000);
