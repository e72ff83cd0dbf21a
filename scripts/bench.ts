/**
 * `bun run bench [--quick]`: every performance figure of issue 15 beside the baseline it is judged against,
 * on a private stack (`bun run dev` on free ports, temporary store), in one go:
 *   1. API alone (`bun run dev --only api`): GET one vehicle, a list page and /health/live with wrk, beside a
 *      bare Bun.serve returning the same JSON; POST creates with wrk beside a bare KV `create` loop.
 *   2. Every app: GetPrice over gRPC with h2load beside a bare Connect server; then the end-to-end sweep.
 * Prints progress, a summary table and writes .data/bench/<timestamp>/report.md with SVG charts.
 */
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { create, toBinary } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { SEED_CATALOG } from "@forecourt/shared/catalog";
import { GetPriceRequestSchema, PriceCalculatorService } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";
import { freePort } from "@forecourt/shared/testing";
import { DEMO_COLOURS } from "../apps/api/src/vehicles/demo-vehicles.ts";
import { BenchArgsError, parseBenchArgs, type BenchSettings } from "./bench/args.ts";
import { grpcFrame, requireTool, runH2loadGrpc, runWrk, wrkCreateScript, wrkGetScript, type Throughput } from "./bench/load-tools.ts";
import { runPipeline, settle } from "./bench/pipeline.ts";
import { startDevStack, type DevStack } from "./bench/private-stack.ts";
import { cpuDelta, cpuSnapshot, loadAverage, rssMiB } from "./bench/proc-stats.ts";
import { consoleSummary, latencyChart, markdownReport, throughputChart, type BenchReport, type Comparison, type Measured } from "./bench/report.ts";

const root = join(import.meta.dir, "..");
let settings: BenchSettings;
try {
  settings = parseBenchArgs(process.argv.slice(2));
  requireTool("wrk", "wrk");
  requireTool("h2load", "nghttp2-client");
  requireTool("nats-server", "nats-server");
} catch (error) {
  console.error(`bench: ${(error as Error).message}`);
  process.exit(error instanceof BenchArgsError ? 2 : 1);
}

const startedAt = new Date();
const runDir = settings.out ? resolve(settings.out) : join(root, ".data", "bench", startedAt.toISOString().replace(/[:.]/g, "-"));
const work = mkdtempSync(join(tmpdir(), "forecourt-bench-"));
mkdirSync(runDir, { recursive: true });
const clock = performance.now();
const say = (line: string) => console.log(`[${((performance.now() - clock) / 1000).toFixed(1).padStart(6)} s] ${line}`);

// Everything started here, stopped on the way out or on Ctrl-C.
const cleanups: (() => Promise<unknown> | unknown)[] = [];
async function cleanUp() {
  for (const fn of cleanups.splice(0).reverse()) await Promise.resolve(fn()).catch(() => {});
  rmSync(work, { recursive: true, force: true });
}
process.on("SIGINT", () => void cleanUp().then(() => process.exit(130)));
process.on("SIGTERM", () => void cleanUp().then(() => process.exit(143)));

const profileDir = join(runDir, "profiles");

/** Each stage gets its own store: the creates of the first would otherwise be a backlog for the second's workers. */
async function startStack(only?: string[]): Promise<DevStack> {
  const name = only ? only.join("-") : "all";
  // BUN_OPTIONS reaches every bun process the runner starts (and the runner itself).
  const env = {
    // The bench writes as the one demo dealer, far faster than a dealer's default write rate (10/s) allows; the
    // limiter still runs on every write, so its cost is in the figures.
    API_WRITES_PER_SECOND: "100000",
    API_WRITE_BURST: "100000",
    ...(settings.profile ? { BUN_OPTIONS: `--cpu-prof --cpu-prof-md --cpu-prof-dir=${join(profileDir, name)}` } : {}),
  };
  const stack = await startDevStack({
    root,
    storeDir: join(work, `nats-${name}`),
    credentialsDir: join(work, `credentials-${name}`),
    auditLogPath: join(work, "audit-log.jsonl"),
    logFile: join(runDir, `dev-${name}.log`),
    only,
    env,
  });
  cleanups.push(() => stack.stop());
  return stack;
}

/** Stops the stack; profiles written on exit are renamed after their process (`api.md`, `api.cpuprofile`). */
async function stopStack(stack: DevStack) {
  await stack.stop();
  if (!settings.profile) return;
  const names = new Map(Object.entries(stack.pids).map(([name, pid]) => [String(pid), name.replaceAll(" ", "-")]));
  for (const dir of readdirSync(profileDir)) {
    for (const file of readdirSync(join(profileDir, dir))) {
      const match = /^CPU\.\d+\.\d+\.(\d+)\.\d+\.\d+\.(cpuprofile|md)$/.exec(file);
      const name = match && names.get(match[1]!);
      if (name) renameSync(join(profileDir, dir, file), join(profileDir, dir, `${name}.${match[2]}`));
    }
  }
  say(`CPU profiles: ${profileDir}`);
}

/** Starts a baseline as its own process and waits for its "ready" line. */
async function startBaseline(script: string, args: string[]) {
  const proc = Bun.spawn(["bun", join(import.meta.dir, "bench", "baselines", script), ...args], { cwd: root, stdout: "pipe", stderr: "inherit" });
  cleanups.push(() => proc.kill());
  const reader = proc.stdout.getReader();
  const { value } = await reader.read();
  if (!new TextDecoder().decode(value).includes("ready")) throw new Error(`${script} did not start`);
  reader.releaseLock();
  return proc;
}

/** Runs a load and reads the CPU the named processes used meanwhile. */
async function withCpu(pids: Record<string, number>, run: () => Promise<Throughput>): Promise<Measured> {
  const before = cpuSnapshot(pids);
  const result = await run();
  const used = Object.values(cpuDelta(before, cpuSnapshot(pids))).reduce((a, b) => a + b, 0);
  return { ...result, cpuUsPerRequest: result.requests ? (used * 1e6) / result.requests : undefined };
}

/** Baseline then project, `rounds` times over, interleaved so both see the same neighbours; the best of each is kept. */
async function bestOf(figure: string, baseline: () => Promise<Measured>, project: () => Promise<Measured>): Promise<{ reference: Measured; project: Measured }> {
  let best: { reference?: Measured; project?: Measured } = {};
  const better = (a: Measured | undefined, b: Measured) => (!a || b.perSecond > a.perSecond ? b : a);
  for (let round = 1; round <= settings.rounds; round++) {
    const tag = settings.rounds > 1 ? ` (round ${round}/${settings.rounds})` : "";
    say(`${figure}: baseline${tag}…`);
    best.reference = better(best.reference, await baseline());
    say(`${figure}: project${tag}…`);
    best.project = better(best.project, await project());
  }
  const result = { reference: best.reference!, project: best.project! };
  say(`  ${Math.round(result.project.perSecond)}/s vs ${Math.round(result.reference.perSecond)}/s (${(result.project.perSecond / result.reference.perSecond).toFixed(2)})`);
  return result;
}

const seconds = settings.throughputSeconds;
const comparisons: Comparison[] = [];
const memory: BenchReport["memory"] = { idle: {}, afterLoad: {} };
const rssOf = (pids: Record<string, number>) => Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, rssMiB(pid) ?? 0]));

async function readsAndCreates() {
  say("starting the API alone (bun run dev --only api)…");
  const stack = await startStack(["api"]);
  const page = (await (await fetch(`${stack.urls.api}/api/vehicles?index=0&count=1`)).json()) as { items: { registration: string }[] };
  const registration = page.items[0]?.registration;
  if (!registration) throw new Error("the API listed no vehicle to read (DEMO_VEHICLES=0?)");
  const reads = [
    { figure: "GET /api/vehicles/{reg}", path: `/api/vehicles/${registration}`, target: 0.5 },
    { figure: "GET /api/vehicles?index&count=10", path: "/api/vehicles?index=0&count=10", target: 0.5 },
    { figure: "GET /health/live", path: "/health/live", target: 0.8 },
  ];
  const routes: Record<string, { contentType: string; body: string }> = {};
  for (const read of reads) {
    const res = await fetch(stack.urls.api + read.path);
    routes[read.path] = { contentType: res.headers.get("content-type") ?? "application/json", body: await res.text() };
  }
  writeFileSync(join(work, "routes.json"), JSON.stringify(routes));
  const barePort = await freePort();
  const bare = await startBaseline("bare-http.ts", [String(barePort), join(work, "routes.json")]);
  const api = { api: stack.pids.api! };
  for (const read of reads) {
    const wrk = (base: string) => () => runWrk({ url: base + read.path, script: wrkGetScript(), connections: settings.readConnections, seconds, dir: work });
    const measured = await bestOf(read.figure, () => withCpu({ bare: bare.pid }, wrk(`http://127.0.0.1:${barePort}`)), () => withCpu(api, wrk(stack.urls.api)));
    comparisons.push({
      figure: read.figure,
      baseline: "bare Bun.serve returning the same JSON",
      target: read.target,
      ...measured,
      load: `wrk, 1 thread, ${settings.readConnections} connections, ${seconds} s, best of ${settings.rounds}`,
    });
  }
  bare.kill();
  await bare.exited;

  const storedBytes = routes[reads[0]!.path]!.body.length;
  const kvLoop = async (): Promise<Measured> => {
    const loop = Bun.spawn(["bun", join(import.meta.dir, "bench", "baselines", "kv-create-loop.ts"), stack.urls.nats, String(settings.createConcurrency), String(seconds), String(storedBytes)], {
      cwd: root,
      // Its own bucket: only admin may make one.
      env: { ...process.env, NATS_USER: "admin", NATS_PASSWORD: stack.adminPassword },
      stdout: "pipe",
      stderr: "inherit",
    });
    cleanups.push(() => loop.kill());
    const pids = { "nats-server": stack.pids["nats-server"]!, loop: loop.pid };
    const before = cpuSnapshot(pids);
    const out = await new Response(loop.stdout).text();
    const used = cpuDelta(before, cpuSnapshot(pids));
    if ((await loop.exited) !== 0) throw new Error(`the KV create loop failed: ${out}`);
    const r = JSON.parse(out.trim().split("\n").at(-1)!) as { requests: number; seconds: number; errors: number; p50Ms: number; p99Ms: number };
    return { ...r, perSecond: r.requests / r.seconds, cpuUsPerRequest: (Object.values(used).reduce((a, b) => a + b, 0) * 1e6) / r.requests };
  };
  const models = SEED_CATALOG.models.slice(0, 40).map((m) => m.code);
  let round = 0;
  const creates = () =>
    withCpu({ api: stack.pids.api!, "nats-server": stack.pids["nats-server"]! }, () =>
      runWrk({ url: `${stack.urls.api}/api/vehicles`, script: wrkCreateScript("/api/vehicles", `C${round++}`, models, DEMO_COLOURS, stack.dealerKey), connections: settings.createConcurrency, seconds, dir: work }),
    );
  const measured = await bestOf("POST /api/vehicles (workers stopped)", kvLoop, creates);
  comparisons.push({
    figure: "POST /api/vehicles (workers stopped)",
    baseline: `bare loop of JetStream KV creates, ${settings.createConcurrency} in flight (broker ceiling)`,
    target: 0.5,
    ...measured,
    load: `wrk, 1 thread, ${settings.createConcurrency} connections, ${seconds} s, a new registration per request, best of ${settings.rounds}; CPU counts the API and nats-server (baseline: the loop and nats-server)`,
  });
  await stopStack(stack);
}

async function grpcAndPipeline(): Promise<BenchReport["pipeline"]> {
  say("starting every app (bun run dev)…");
  const stack = await startStack();
  // Idle: once the demo cars are priced and audited and every process has gone quiet.
  await settle(stack.pids, { timeoutMs: 30_000 });
  memory.idle = rssOf(stack.pids);
  say(`idle RSS: ${Object.entries(memory.idle).map(([n, v]) => `${n} ${v.toFixed(0)}`).join(", ")} MiB`);

  const request = create(GetPriceRequestSchema, { modelCode: "ford-fiesta", color: "Blue", year: 2015 });
  const barePort = await freePort();
  const bare = await startBaseline("bare-grpc.ts", [String(barePort)]);
  const path = `/${PriceCalculatorService.typeName}/GetPrice`;
  // h2load counts HTTP statuses only, and gRPC reports errors in trailers: check one real call on each first.
  for (const base of [`http://127.0.0.1:${barePort}`, stack.urls.pricing]) {
    const answer = await createClient(PriceCalculatorService, createGrpcTransport({ baseUrl: base })).getPrice(request);
    if (answer.currencyCode !== "GBP") throw new Error(`GetPrice at ${base} answered ${JSON.stringify(answer)}`);
  }
  const h2load = (base: string) => () =>
    runH2loadGrpc({ url: base + path, body: grpcFrame(toBinary(GetPriceRequestSchema, request)), clients: settings.grpcClients, streamsPerClient: settings.grpcStreams, seconds, dir: work });
  const measured = await bestOf("GetPrice over gRPC", () => withCpu({ bare: bare.pid }, h2load(`http://127.0.0.1:${barePort}`)), () => withCpu({ pricing: stack.pids.pricing! }, h2load(stack.urls.pricing)));
  comparisons.push({
    figure: "GetPrice over gRPC",
    baseline: "bare Connect server answering a constant (node:http2, no interceptors)",
    target: 0.8,
    ...measured,
    load: `h2load, ${settings.grpcClients} connections × ${settings.grpcStreams} streams, ${seconds} s after 1 s warm-up, best of ${settings.rounds}; latency is h2load's mean (p50 column) and max (p99 column), as it reports no percentiles`,
  });
  bare.kill();
  await bare.exited;

  const results: BenchReport["pipeline"] = [];
  const models = SEED_CATALOG.models.slice(0, 40).map((m) => m.code);
  for (const [i, rate] of settings.rates.entries()) {
    say(`end to end at ${rate} cars/s for ${settings.pipelineSeconds} s…`);
    const result = await runPipeline({
      apiUrl: stack.urls.api,
      webUrl: stack.urls.web,
      dealerKey: stack.dealerKey,
      rate,
      seconds: settings.pipelineSeconds,
      prefix: `P${String.fromCharCode(65 + i)}`,
      pids: stack.pids,
      models,
      colours: DEMO_COLOURS,
      drainTimeoutMs: settings.drainTimeoutMs,
      progress: say,
    });
    const cpu = Object.entries(result.cpuMsPerCar).filter(([n]) => n !== "bench client").reduce((s, [, v]) => s + v, 0);
    say(`  priced ${result.priced}/${result.created}, p50 ${result.latency.p50.toFixed(1)} ms, p99 ${result.latency.p99.toFixed(1)} ms, kept up ${Math.round(result.keptUp)} cars/s, ${cpu.toFixed(2)} CPU ms/car`);
    results.push(result);
  }
  memory.afterLoad = rssOf(stack.pids);
  await stopStack(stack);
  return results;
}

try {
  const loadAtStart = loadAverage();
  say(`bench ${settings.quick ? "(quick) " : ""}starting; load average ${loadAtStart.join(" ")}; output in ${runDir}`);
  await readsAndCreates();
  const pipeline = await grpcAndPipeline();
  const natsVersion = (await new Response(Bun.spawn(["nats-server", "--version"], { stdout: "pipe" }).stdout).text()).trim();
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command: `bun run bench ${process.argv.slice(2).join(" ")}`.trim(),
    quick: settings.quick,
    machine: { cores: navigator.hardwareConcurrency, bun: Bun.version, natsServer: natsVersion, loadAtStart, loadAtEnd: loadAverage() },
    comparisons,
    pipeline,
    targetRate: settings.targetRate,
    memory,
    notes: [
      "Every app runs under `bun run dev` (scripts/dev.ts) with its defaults: info logs, each line re-formatted by the runner (its CPU is the `dev runner` row), each app as its own NATS user, writes with the demo dealer's key. One exception: the dealer's write rate is raised (API_WRITES_PER_SECOND=100000), as the bench writes as one dealer.",
      `End to end: the bench's own open-loop generator (no kept tool posts at a fixed rate and watches a WebSocket) POSTs ${settings.pipelineSeconds} s at each rate; latency runs from when each POST was due to its priced frame on a live /ws socket; CPU per car is read from /proc/<pid>/stat (utime + stime) before the first POST and after the stack is quiet again.`,
      "RSS from /proc/<pid>/status (VmRSS): idle once every app is ready and the stack has gone quiet (the 200 demo cars priced and audited), and again after the sweep. The first stage (API alone) and the second (every app) each start on a fresh store.",
      "The load generators share the machine's cores with the stack: read the figures as relative to their baselines. The CPU ratio (baseline CPU per request ÷ project CPU per request, from /proc) is what the ratio would be if CPU alone decided; it moves far less with the machine's other work.",
      ...(settings.profile ? [`CPU profiles of every Bun process (\`--cpu-prof\`, with a Markdown summary each) are in profiles/.`] : []),
    ],
  };
  writeFileSync(join(runDir, "latency.svg"), latencyChart(report));
  writeFileSync(join(runDir, "throughput.svg"), throughputChart(report));
  writeFileSync(join(runDir, "results.json"), JSON.stringify(report, null, 2));
  writeFileSync(join(runDir, "report.md"), markdownReport(report, { latency: "latency.svg", throughput: "throughput.svg" }));
  console.log(consoleSummary(report));
  say(`report: ${join(runDir, "report.md")}`);
} catch (error) {
  console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
