/**
 * Throughput of the API's hottest read, GET /api/vehicles/{registration}, under wrk: own nats-server, the API
 * with its 200 demo cars on a free port. `--root` runs the apps of another checkout of Forecourt (with its own
 * `bun install`), so two versions can be compared on one machine, alternating runs to share its noise; `--otlp`
 * exports every span to an in-process OTLP/HTTP receiver, to price the export too.
 *
 *   bun scripts/bench/http-throughput.ts [--root=DIR] [--otlp] [--seconds=10] [--connections=16]
 */
import { join, resolve } from "node:path";
import { freePort, startNatsServer, startOtlpReceiver, waitFor } from "@forecourt/shared/testing";
import { cpuSeconds } from "./cpu-time.ts";
import { benchOptions } from "./options.ts";

const options = benchOptions(process.argv.slice(2), { seconds: 10, connections: 16 });
if (!Bun.which("wrk")) {
  console.error("wrk not found on PATH (Debian: apt-get install wrk)");
  process.exit(1);
}
const root = resolve(options.root ?? join(import.meta.dir, "../.."));
const nats = await startNatsServer();
const receiver = options.otlp ? startOtlpReceiver() : undefined;
const port = await freePort();
// Logs as in production (a line per request), written to /dev/null rather than parsed by this process.
const api = Bun.spawn(["bun", join(root, "apps/api/src/main.ts")], {
  env: { ...process.env, NATS_URL: nats.url, API_PORT: String(port), DEMO_VEHICLES: "200", ...(receiver ? { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint } : {}) },
  stdout: "ignore",
  stderr: "inherit",
});
const base = `http://127.0.0.1:${port}`;
try {
  await waitFor(async () => (await fetch(`${base}/health/ready`)).ok, { timeoutMs: 30_000, what: "the API to be ready" });
  const page = (await (await fetch(`${base}/api/vehicles?index=0&count=1`)).json()) as { items: { registration: string }[] };
  const url = `${base}/api/vehicles/${page.items[0]!.registration}`;
  // Not spawnSync: this process also hosts the OTLP receiver, which must keep answering meanwhile.
  const wrk = async (seconds: number) => new Response(Bun.spawn(["wrk", "-t1", `-c${options.connections}`, `-d${seconds}s`, "--latency", url], { stdout: "pipe" }).stdout).text();
  await wrk(2); // warm-up: JIT, connections, caches
  const cpuBefore = cpuSeconds(api.pid);
  const out = await wrk(options.seconds);
  const cpu = cpuSeconds(api.pid) - cpuBefore;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p50 = /\s50%\s+(\S+)/.exec(out)?.[1];
  const p99 = /\s99%\s+(\S+)/.exec(out)?.[1];
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? "0";
  const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
  const what = `${options.root ? `root=${options.root}` : "this checkout"}${options.otlp ? ", spans exported over OTLP" : ""}`;
  console.log(`GET /api/vehicles/{registration} (${what}): ${Math.round(rps)} requests/s, p50 ${p50}, p99 ${p99}, non-2xx ${errors}, API CPU ${((cpu * 1e6) / requests).toFixed(1)} µs/request (wrk -t1 -c${options.connections} -d${options.seconds}s${receiver ? `, ${receiver.spans.length} spans received` : ""})`);
} finally {
  api.kill();
  await api.exited;
  receiver?.stop();
  await nats.dispose();
}
