/**
 * `bun run dev [--cluster] [--instances N]`: checks the Bun version against package.json, installs dependencies
 * if needed, starts nats-server (unless NATS_URL names a running one; with --cluster three as one JetStream
 * cluster, see dev/cluster.ts), creates the streams and buckets with NATS_REPLICAS replicas, starts every app
 * (N instances of each but the audit log, see dev/instances.ts) with prefixed logs, waits until each is ready,
 * prints every URL.
 * Ctrl-C stops the apps in reverse order, then NATS, within 5 s, leaving no process behind.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { ConfigError, ensureBuckets, ensureStreams, ReplicaError } from "@forecourt/shared/platform";
import { isPortFree, portAnswers, waitFor } from "@forecourt/shared/testing";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { planDev, type DevPlan } from "./dev/apps.ts";
import { DevUsageError, parseDevArgs, type DevArgs } from "./dev/args.ts";
import { bunVersionProblem, pinnedBunVersion } from "./dev/bun-version.ts";
import { devReplicas, planCluster, SYSTEM_USER, systemPasswordPath, type ClusterPlan } from "./dev/cluster.ts";
import { formatLine } from "./dev/format.ts";
import { expandInstances } from "./dev/instances.ts";

const root = join(import.meta.dir, "..");
const BOLD = "\x1b[1m";
const RESET = "\x1b[0m";
const say = (msg: string) => console.log(`${BOLD}dev${RESET} │ ${msg}`);
const fail = (msg: string): never => {
  console.error(`dev: ${msg}`);
  process.exit(1);
};

function ensureDependencies() {
  if (existsSync(join(root, "node_modules", "elysia"))) return;
  say("installing dependencies (bun install)…");
  const result = spawnSync("bun", ["install", "--frozen-lockfile"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) fail("bun install failed; see the output above");
}

function findNatsServer(): string {
  const found = Bun.which("nats-server");
  if (found) return found;
  const canApt = Bun.which("apt-get") && process.getuid?.() === 0;
  if (!canApt) fail("nats-server not found on PATH; install it (Debian/Ubuntu: sudo apt-get install nats-server; macOS: brew install nats-server)");
  say("nats-server not found: installing Debian's package (apt-get install nats-server)…");
  for (const args of [["update"], ["install", "-y", "nats-server"]]) {
    const result = spawnSync("apt-get", args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (result.status !== 0) fail(`apt-get ${args.join(" ")} failed; install nats-server by hand`);
  }
  return Bun.which("nats-server") ?? fail("nats-server still not on PATH after apt-get install");
}

/** nats-server 2.9 refuses -sd beside a configured store_dir, so an overridden store gets a copy of nats.conf. */
function confWithStore(storeDir: string): string {
  const dir = resolve(root, storeDir);
  const conf = readFileSync(join(root, "nats.conf"), "utf8").replace(/store_dir:.*$/m, `store_dir: ${JSON.stringify(dir)}`);
  const path = join(dir, "nats.conf");
  writeFileSync(path, conf);
  return path;
}

/** Whether the URL answers 2xx within the timeout. */
function answersOk(url: string, timeoutMs: number): Promise<boolean> {
  return waitFor(async () => (await fetch(url)).ok, { timeoutMs, intervalMs: 100 }).then(
    () => true,
    () => false,
  );
}

interface Running {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

const running: Running[] = [];
let stopping = false;

/** `essential: false`: its exit is reported, not a reason to stop everything (a cluster member killed to try failover). */
function launch(name: string, colour: string, width: number, cmd: string, args: string[], env: Record<string, string>, { essential = true } = {}): Running {
  // Own process group: a terminal's Ctrl-C reaches only this runner, which then stops children in order.
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const pipe = (stream: NodeJS.ReadableStream | null) => {
    let buffered = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) console.log(formatLine(name, colour, width, line));
    });
  };
  pipe(child.stdout);
  pipe(child.stderr);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const entry = { name, child, exited };
  running.push(entry);
  void exited.then((code) => {
    if (stopping) return;
    if (!essential) return say(`${name} exited (code ${code}); the others carry on without it (start it again: ${[cmd, ...args].join(" ")})`);
    say(`${name} exited unexpectedly (code ${code}); stopping everything`);
    void stopAll(1);
  });
  return entry;
}

async function stopOne(entry: Running, graceMs: number) {
  if (entry.child.exitCode !== null || entry.child.signalCode !== null) return;
  entry.child.kill("SIGTERM");
  const done = await Promise.race([entry.exited.then(() => true), Bun.sleep(graceMs).then(() => false)]);
  if (!done) {
    say(`${entry.name} did not stop in ${graceMs} ms; killing it`);
    try {
      process.kill(-entry.child.pid!, "SIGKILL");
    } catch {
      entry.child.kill("SIGKILL");
    }
    await entry.exited;
  }
}

async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  say("stopping…");
  const started = Date.now();
  for (const entry of [...running].reverse()) await stopOne(entry, entry.name.startsWith("nats") ? 1500 : 800);
  say(`stopped in ${Date.now() - started} ms`);
  process.exit(code);
}

function checkBunVersion() {
  let wanted: string;
  try {
    wanted = pinnedBunVersion(JSON.parse(readFileSync(join(root, "package.json"), "utf8")));
  } catch (error) {
    return fail((error as Error).message);
  }
  const problem = bunVersionProblem(wanted, Bun.version);
  if (problem) fail(problem);
}

/** The system user's password: made once per store, kept beside it (git-ignored), never in the repository. */
function systemPassword(path: string): string {
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  mkdirSync(resolve(path, ".."), { recursive: true });
  const password = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64url");
  writeFileSync(path, `${password}\n`, { mode: 0o600 });
  return password;
}

/** Starts the three members and waits until each answers /healthz (JetStream up, its meta leader known). */
async function startCluster(cluster: ClusterPlan, natsServer: string, width: number): Promise<boolean> {
  say(`starting a NATS cluster of ${cluster.servers.length} (${cluster.natsUrl})…`);
  for (const server of cluster.servers) {
    mkdirSync(server.storeDir, { recursive: true });
    writeFileSync(server.configPath, server.config);
    launch(server.name, "\x1b[90m", width, natsServer, ["-c", server.configPath], {}, { essential: false });
  }
  for (const server of cluster.servers) {
    if (!(await answersOk(`${server.monitorUrl}/healthz`, 30_000))) {
      say(`${server.name} did not become healthy within 30 s`);
      return false;
    }
  }
  return true;
}

/**
 * The streams and buckets, with NATS_REPLICAS replicas, before any app starts: a store that cannot have them
 * stops everything here with one line, rather than each app failing on its own.
 */
async function ensureStores(natsUrl: string, replicas: number): Promise<boolean> {
  const nc = await connect({ servers: natsUrl.split(","), name: "forecourt-dev" });
  try {
    const ensured = [...(await ensureStreams(await jetstreamManager(nc), { replicas })), ...(await ensureBuckets(jetstream(nc), { replicas }))];
    for (const { stream, replicas: now, raisedFrom } of ensured) if (raisedFrom !== undefined) say(`${stream}: replicas raised from ${raisedFrom} to ${now}`);
    return true;
  } catch (error) {
    if (!(error instanceof ReplicaError)) throw error;
    console.error(`dev: ${error.message}`);
    return false;
  } finally {
    await nc.close();
  }
}

async function main() {
  checkBunVersion();
  let args: DevArgs;
  try {
    args = parseDevArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof DevUsageError)) throw error;
    console.error(`dev: ${error.message}`);
    process.exit(2);
  }
  let plan: DevPlan;
  let cluster: ClusterPlan | undefined;
  let replicas: number;
  try {
    plan = expandInstances(planDev(process.env), args.instances, process.env);
    cluster = args.cluster ? planCluster(plan, process.env, root, systemPassword(systemPasswordPath(plan, root))) : undefined;
    replicas = devReplicas(process.env, args.cluster);
  } catch (error) {
    if (error instanceof ConfigError) fail(`invalid configuration: ${error.message}`);
    throw error;
  }
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));
  process.on("SIGHUP", () => void stopAll(0));

  ensureDependencies();
  const width = Math.max(...plan.apps.map((a) => a.name.length), 4);

  for (const { name, variable, port } of plan.ports) {
    if (!(await isPortFree(port, plan.host))) {
      fail(`port ${port} for the ${name} (${variable}) is already in use on ${plan.host}; stop what holds it or set ${variable} to another port`);
    }
  }

  const natsRunning = !cluster && plan.natsExplicit && (await portAnswers(plan.natsPort));
  if (cluster) {
    for (const { name, variable, port } of cluster.ports) {
      if (!(await isPortFree(port))) fail(`port ${port} for ${name} (${variable}) is already in use; stop what holds it or move the cluster's ports with ${variable}`);
    }
    if (!(await startCluster(cluster, findNatsServer(), width))) return stopAll(1);
  } else if (natsRunning) {
    say(`using the NATS server already running at ${plan.natsUrl}`);
  } else {
    const natsServer = findNatsServer();
    for (const [what, port] of [["NATS (NATS_URL)", plan.natsPort], ["NATS monitoring (NATS_MONITOR_PORT)", plan.monitorPort]] as const) {
      if (!(await isPortFree(port))) fail(`port ${port} for ${what} is already in use; stop what holds it, or set NATS_URL to a NATS server that is already running`);
    }
    mkdirSync(resolve(root, plan.storeDir ?? ".data/nats"), { recursive: true });
    const conf = plan.storeDir ? confWithStore(plan.storeDir) : "nats.conf";
    say(`starting nats-server on port ${plan.natsPort}…`);
    launch("nats", "\x1b[90m", width, natsServer, ["-c", conf, "-p", String(plan.natsPort), "-m", String(plan.monitorPort)], {});
    const up = await answersOk(`http://127.0.0.1:${plan.monitorPort}/healthz`, 15_000);
    if (!up) {
      say("nats-server did not become healthy within 15 s");
      return stopAll(1);
    }
  }

  const natsUrl = cluster?.natsUrl ?? plan.natsUrl;
  if (!(await ensureStores(natsUrl, replicas))) return stopAll(1);
  const env: Record<string, string> = { NATS_URL: natsUrl, HOST: plan.host, NATS_REPLICAS: String(replicas) };
  for (const app of plan.apps) {
    const started = Date.now();
    const entry = launch(app.name, app.colour, width, "bun", [app.entry], { ...env, ...app.env });
    let ready = false;
    const seenReady = new Promise<void>((resolve) =>
      entry.child.stdout?.on("data", (chunk: string) => {
        if (/"msg":"ready"/.test(chunk)) resolve();
      }),
    );
    ready = await Promise.race([seenReady.then(() => true), Bun.sleep(30_000).then(() => false)]);
    if (ready && app.readyUrl) ready = await answersOk(app.readyUrl, 15_000);
    if (!ready) {
      say(`${app.name} did not become ready within 45 s`);
      return stopAll(1);
    }
    say(`${app.name} ready in ${Date.now() - started} ms`);
  }

  const urls = cluster ? clusterUrls(plan, cluster, replicas) : plan.urls;
  const labelWidth = Math.max(...urls.map((u) => u.label.length));
  console.log(
    [
      "",
      `${BOLD}Forecourt is running${RESET} (Ctrl-C stops everything)`,
      ...urls.map(({ label, url }) => `  ${label.padEnd(labelWidth)}  ${url}`),
      "",
    ].join("\n"),
  );
}

/** The summary's NATS lines for a cluster: every member's client and monitoring URL. */
function clusterUrls(plan: DevPlan, cluster: ClusterPlan, replicas: number) {
  return [
    ...plan.urls.filter((u) => !u.label.startsWith("NATS")),
    { label: `NATS (cluster ${cluster.layout.name}, streams R${replicas})`, url: cluster.servers.map((s) => `nats://127.0.0.1:${s.clientPort}`).join("  ") },
    { label: "NATS monitoring", url: cluster.servers.map((s) => s.monitorUrl).join("  ") },
    { label: "NATS system user", url: `${SYSTEM_USER}, password in ${relative(root, systemPasswordPath(plan, root))} (nats server report jetstream)` },
  ];
}

await main();
