/**
 * `bun run dev [--only api,pricing]`: checks the Bun version against package.json, installs dependencies if needed,
 * makes the NATS users' credentials (first start) and their auth file, starts nats-server (unless NATS_URL names a
 * running one), sets up JetStream and the demo dealer as NATS user admin, starts every app (or those --only names)
 * as its own NATS user with prefixed logs, waits until each is ready, prints every URL, the demo dealer's key and
 * the NATS CLI's read-only context.
 * `bun run dev --observe` also starts Prometheus scraping every app and NATS. `bun run dev --cluster` starts three
 * nats-servers as one JetStream cluster requiring the same users (scripts/dev/cluster.ts), sets JetStream up with
 * NATS_REPLICAS (3) copies, and runs `--instances N` (2) of every app but the audit log (scripts/dev/instances.ts).
 * Ctrl-C stops Prometheus and the apps in reverse order, then NATS, within 5 s, leaving no process behind.
 * Workshop mode (`--join <hub url> --as <name>`, `--port-offset`, `--without pricing`, `--shape`): scripts/dev/workshop*.ts.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { connect } from "@nats-io/transport-node";
import { ConfigError, createLogger, ReplicaError, type NatsUser } from "@forecourt/shared/platform";
import { isPortFree, portAnswers, waitFor } from "@forecourt/shared/testing";
import { DEMO_DEALER } from "../apps/api/src/dealers/dealer-keys.ts";
import { loadConfig as loadPricerConfig } from "../apps/pricer/src/config.ts";
import { planDev, type DevPlan, type ObservePlan } from "./dev/apps.ts";
import { bunVersionProblem, pinnedBunVersion } from "./dev/bun-version.ts";
import { devReplicas, planCluster, type ClusterPlan } from "./dev/cluster.ts";
import {
  credentialsDir,
  DEFAULT_CREDENTIALS_DIR,
  DEMO_KEY_FILE,
  inspectorContextCommand,
  loadOrCreatePassword,
  loadOrCreatePasswords,
  natsUserEnv,
  readSecret,
  SYSTEM_USER,
  writeNatsAuthFile,
  writeSecret,
} from "./dev/credentials.ts";
import { formatLine } from "./dev/format.ts";
import { expandInstances } from "./dev/instances.ts";
import { serveNatsMetrics } from "./dev/nats-metrics.ts";
import { prometheusArgs, prometheusConfig } from "./dev/prometheus.ts";
import { startHubShaper, startParticipant, writeStackConfig } from "./dev/workshop.ts";
import { parseDevArgs, UsageError, type DevOptions } from "./dev/workshop-args.ts";
import { ensureDealerKey, setupJetStream } from "./setup/jetstream-setup.ts";

const root = join(import.meta.dir, "..");
const BOLD = "\x1b[1m";
const RESET = "\x1b[0m";
// Everything goes through process.stdout.write, as the apps' lines do, so the two keep their order.
const print = (text: string) => process.stdout.write(`${text}\n`);
const say = (msg: string) => print(`${BOLD}dev${RESET} │ ${msg}`);
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

/** A program on PATH, installed from Debian's package of the same name when missing and we may (root, apt-get). */
function findTool(name: string, hint: string): string {
  const found = Bun.which(name);
  if (found) return found;
  const canApt = Bun.which("apt-get") && process.getuid?.() === 0;
  if (!canApt) fail(`${name} not found on PATH; install it (${hint})`);
  say(`${name} not found: installing Debian's package (apt-get install ${name})…`);
  for (const args of [["update"], ["install", "-y", name]]) {
    const result = spawnSync("apt-get", args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (result.status !== 0) fail(`apt-get ${args.join(" ")} failed; install ${name} by hand`);
  }
  return Bun.which(name) ?? fail(`${name} still not on PATH after apt-get install`);
}

/** Prometheus with a scrape config for this run, after the apps are up; NATS through the runner's translation. */
async function startPrometheus(prometheus: string, observe: ObservePlan, plan: DevPlan, width: number): Promise<boolean> {
  serveNatsMetrics({ host: "127.0.0.1", port: observe.natsMetricsPort, monitorUrl: `http://127.0.0.1:${plan.monitorPort}` });
  const dataDir = resolve(root, observe.dataDir);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, "prometheus.yml"), prometheusConfig({ targets: observe.targets, rulesFile: join(root, "prometheus/forecourt.rules.yml") }));
  say(`starting prometheus on port ${observe.prometheusPort}…`);
  launch("prometheus", "\x1b[95m", width, prometheus, prometheusArgs({ dataDir, listen: `${plan.host}:${observe.prometheusPort}` }), {});
  return answersOk(`http://127.0.0.1:${observe.prometheusPort}/-/ready`, 30_000);
}

/**
 * As admin: streams and buckets with `replicas` copies (a store that cannot have them throws a ReplicaError, one
 * line), catalog and durables, then the demo dealer's key (kept while it works).
 */
async function setUp(natsUrl: string, participant: string | undefined, passwords: Record<NatsUser, string>, keyFile: string, replicas: number): Promise<string> {
  let pricer;
  try {
    pricer = loadPricerConfig({ ...process.env, ...(participant ? { FORECOURT_PARTICIPANT: participant } : {}) });
  } catch (error) {
    if (error instanceof ConfigError) fail(`invalid configuration: ${error.message}`);
    throw error;
  }
  const nc = await connect({ servers: natsUrl.split(","), name: "forecourt-dev-setup", user: "admin", pass: passwords.admin, maxReconnectAttempts: 0 }).catch((error: Error) =>
    fail(`NATS at ${natsUrl} refused admin (${error.message}); is it another server than the one bun run dev starts? Stop it or unset NATS_URL`),
  );
  try {
    const ensured = await setupJetStream(nc, { participant: pricer.participant, pricer: pricer.consumer, replicas });
    for (const { stream, replicas: now, raisedFrom } of ensured) if (raisedFrom !== undefined) say(`${stream}: replicas raised from ${raisedFrom} to ${now}`);
    const { key, issued } = await ensureDealerKey(nc, DEMO_DEALER, readSecret(keyFile));
    if (issued) writeSecret(keyFile, `${key}\n`);
    return key;
  } finally {
    await nc.close();
  }
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
/** Workshop parts (sources sync, link shaper), stopped before the apps. */
const extras: (() => Promise<void>)[] = [];
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
      // One write per chunk, not per line: under load the apps write thousands of lines a second.
      let out = "";
      for (const line of lines) if (line.trim()) out += formatLine(name, colour, width, line) + "\n";
      if (out) process.stdout.write(out);
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
  for (const stop of extras.reverse()) await stop().catch(() => {});
  for (const entry of [...running].reverse()) await stopOne(entry, entry.name.startsWith("nats") || entry.name === "prometheus" ? 1500 : 800);
  say(`stopped in ${Date.now() - started} ms`);
  process.exit(code);
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

/** The summary's NATS lines for a cluster: every member's client and monitoring URL, and the system user. */
function clusterSummaryUrls(plan: DevPlan, cluster: ClusterPlan, replicas: number, credentials: string) {
  return [
    ...plan.urls.filter((u) => !u.label.startsWith("NATS")),
    { label: `NATS (cluster ${cluster.layout.name}, streams R${replicas})`, url: cluster.servers.map((s) => `nats://127.0.0.1:${s.clientPort}`).join("  ") },
    { label: "NATS monitoring", url: cluster.servers.map((s) => s.monitorUrl).join("  ") },
    { label: "NATS system user", url: `${SYSTEM_USER}, password in ${relative(root, join(credentials, `${SYSTEM_USER}.password`))} (nats server report jetstream)` },
  ];
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

async function main() {
  checkBunVersion();
  let plan: DevPlan;
  let options: DevOptions;
  let replicas: number;
  try {
    options = parseDevArgs(process.argv.slice(2), process.env, (path) => readFileSync(path, "utf8"));
    plan = expandInstances(planDev(process.env, options), options.instances ?? 1, process.env);
    replicas = devReplicas(process.env, options.cluster === true);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`dev: ${error.message}`);
      process.exit(2);
    }
    if (error instanceof ConfigError) fail(`invalid configuration: ${error.message}`);
    throw error;
  }
  const hub = options.join;
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));
  process.on("SIGHUP", () => void stopAll(0));

  ensureDependencies();
  // Found (or installed) before anything starts, so a missing one stops nothing half-way.
  const prometheus = plan.observe && findTool("prometheus", "Debian/Ubuntu: sudo apt-get install prometheus; macOS: brew install prometheus");
  const width = Math.max(...plan.apps.map((a) => a.name.length), plan.observe ? "prometheus".length : 4);

  for (const { name, variable, port } of plan.ports) {
    if (!(await isPortFree(port, plan.host))) {
      fail(`port ${port} for the ${name} (${variable}) is already in use on ${plan.host}; stop what holds it or set ${variable} to another port`);
    }
  }

  const credentials = credentialsDir(process.env, root, plan.dataDir);
  const passwords = loadOrCreatePasswords(credentials);
  const systemPassword = options.cluster ? loadOrCreatePassword(credentials, SYSTEM_USER) : undefined;
  const authFile = await writeNatsAuthFile(credentials, passwords, systemPassword);
  let cluster: ClusterPlan | undefined;
  try {
    cluster = options.cluster ? planCluster(plan, process.env, root, authFile) : undefined;
  } catch (error) {
    if (error instanceof ConfigError) fail(`invalid configuration: ${error.message}`);
    throw error;
  }

  const natsRunning = !cluster && plan.natsExplicit && (await portAnswers(plan.natsPort));
  if (cluster) {
    for (const { name, variable, port } of cluster.ports) {
      if (!(await isPortFree(port))) fail(`port ${port} for ${name} (${variable}) is already in use; stop what holds it or move the cluster's ports with ${variable}`);
    }
    const natsServer = findTool("nats-server", "Debian/Ubuntu: sudo apt-get install nats-server; macOS: brew install nats-server");
    if (!(await startCluster(cluster, natsServer, width))) return stopAll(1);
  } else if (natsRunning) {
    say(`using the NATS server already running at ${plan.natsUrl}`);
  } else {
    const natsServer = findTool("nats-server", "Debian/Ubuntu: sudo apt-get install nats-server; macOS: brew install nats-server");
    for (const [what, port] of [["NATS (NATS_URL)", plan.natsPort], ["NATS monitoring (NATS_MONITOR_PORT)", plan.monitorPort]] as const) {
      if (!(await isPortFree(port))) fail(`port ${port} for ${what} is already in use; stop what holds it, or set NATS_URL to a NATS server that is already running`);
    }
    mkdirSync(resolve(root, plan.storeDir ?? ".data/nats"), { recursive: true });
    let leafAddress = hub?.hubAddress;
    if (hub && options.shape) {
      const shaper = await startHubShaper(hub, plan, createLogger({ service: "link", level: "warn" }));
      extras.push(() => shaper.stop());
      leafAddress = `127.0.0.1:${shaper.listen.port}`;
      say(`link shaper on the hub link: ${leafAddress} → ${hub.hubAddress} (bun run link status --control 127.0.0.1:${plan.link.controlPort})`);
    }
    // nats.conf includes the auth file where bun run dev keeps it; a moved store or credentials folder, or a hub link, needs a copy.
    const ownConfig = plan.storeDir || hub || credentials !== resolve(root, DEFAULT_CREDENTIALS_DIR);
    const conf = ownConfig ? writeStackConfig(root, plan.storeDir ?? ".data/nats", authFile, hub, leafAddress) : "nats.conf";
    say(`starting nats-server on port ${plan.natsPort}…`);
    launch("nats", "\x1b[90m", width, natsServer, ["-c", conf, "-p", String(plan.natsPort), "-m", String(plan.monitorPort)], {});
    const up = await answersOk(`http://127.0.0.1:${plan.monitorPort}/healthz`, 15_000);
    if (!up) {
      say("nats-server did not become healthy within 15 s");
      return stopAll(1);
    }
  }

  const natsUrl = cluster?.natsUrl ?? plan.natsUrl;
  say(`setting up JetStream (${replicas === 1 ? "1 replica" : `${replicas} replicas`}) and the demo dealer (as NATS user admin)…`);
  let demoKey: string;
  try {
    demoKey = await setUp(natsUrl, options.participant, passwords, join(credentials, DEMO_KEY_FILE), replicas);
  } catch (error) {
    if (!(error instanceof ReplicaError)) throw error;
    console.error(`dev: ${error.message}`);
    return stopAll(1);
  }

  const env = { ...plan.appEnv, NATS_URL: natsUrl, NATS_REPLICAS: String(replicas) };
  for (const app of plan.apps) {
    const started = Date.now();
    // Each app connects as its own NATS user, with only the rights it needs.
    const entry = launch(app.name, app.colour, width, "bun", [app.entry], { ...env, ...app.env, ...natsUserEnv(app.user, passwords) });
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
  if (plan.observe && prometheus && !(await startPrometheus(prometheus, plan.observe, plan, width))) {
    say("prometheus did not become ready within 30 s");
    return stopAll(1);
  }

  let hubSummary: string[] = [];
  if (hub) {
    const participant = await startParticipant({ plan, hub, say, auth: { user: "admin", password: passwords.admin } });
    extras.push(() => participant.stop());
    hubSummary = [`  ${await participant.summary()}`];
  }

  const urls = cluster ? clusterSummaryUrls(plan, cluster, replicas, credentials) : plan.urls;
  const labelWidth = Math.max(...urls.map((u) => u.label.length));
  print(
    [
      "",
      `${BOLD}Forecourt is running${RESET} (Ctrl-C stops everything)`,
      ...urls.map(({ label, url }) => `  ${label.padEnd(labelWidth)}  ${url}`),
      ...hubSummary,
      "",
      `${BOLD}Demo dealer's API key${RESET} (writes send it as -H "authorization: Bearer $FORECOURT_KEY"; kept in ${join(credentials, DEMO_KEY_FILE)}):`,
      `  export FORECOURT_KEY=${demoKey}`,
      `${BOLD}NATS CLI, read-only${RESET} (admin's password is in ${join(credentials, "admin.password")}):`,
      `  ${inspectorContextCommand(natsUrl, passwords.inspector)}`,
      "",
    ].join("\n"),
  );
}

await main();
