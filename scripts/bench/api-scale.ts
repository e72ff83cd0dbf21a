/**
 * `bun scripts/bench/api-scale.ts [N]` (default 1,000,000): how the API copes with N stored vehicles.
 * Starts a throwaway nats-server on a free port, measures the API's RSS on an empty store, bulk-loads N
 * settled vehicle records straight into the `vehicles` KV bucket (pipelined puts, then a check that all N are
 * stored; no events, as for a restored backup), starts the API as a real process, and prints start-up time, RSS per 100,000 vehicles and
 * p50/p99 latencies of deep pages, filtered pages and single reads. Sequential requests over loopback.
 */
import { SEED_CATALOG } from "@forecourt/shared/catalog";
import { BUCKETS } from "@forecourt/shared/contracts";
import { freePort, startApp, startNatsServer, waitFor } from "@forecourt/shared/testing";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { join } from "node:path";
import { DEMO_COLOURS } from "../../apps/api/src/vehicles/demo-vehicles.ts";
import type { StoredVehicle } from "../../apps/api/src/vehicles/stored-vehicle.ts";
import { openVehiclesBucket } from "../../apps/api/src/vehicles/vehicle-watch.ts";
import { summarise } from "./latency.ts";
import { rssMiB as readRss } from "./proc-stats.ts";

const rssMiB = (pid: number) => readRss(pid) ?? 0;

const N = Number(process.argv[2] ?? 1_000_000);
const BATCH = 5_000;
const SAMPLES = 500;
const MAIN = join(import.meta.dir, "../../apps/api/src/main.ts");

const manufacturerOf = new Map(SEED_CATALOG.manufacturers.map((m) => [m.code, m]));

/** Registration i: "BN" + base-36 digits, unique and at most 10 characters. */
function vehicle(i: number): StoredVehicle {
  const model = SEED_CATALOG.models[i % SEED_CATALOG.models.length]!;
  return {
    registration: `BN${i.toString(36).toUpperCase().padStart(6, "0")}`,
    manufacturerCode: model.manufacturerCode,
    manufacturerName: manufacturerOf.get(model.manufacturerCode)!.name,
    modelCode: model.code,
    modelName: model.name,
    color: DEMO_COLOURS[(i * 7) % DEMO_COLOURS.length]!,
    year: 2000 + (i % 26),
    listedAt: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
  };
}

async function latencies(base: string, path: string): Promise<string> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES + 20; i++) {
    const started = performance.now();
    const res = await fetch(base + path);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    if (i >= 20) times.push(performance.now() - started);
  }
  const { p50, p99 } = summarise(times);
  return `p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`;
}

async function startApi(natsUrl: string) {
  const port = await freePort();
  const started = performance.now();
  const app = await startApp(MAIN, { NATS_URL: natsUrl, API_PORT: String(port), DEMO_VEHICLES: "0", LOG_LEVEL: "info" }, { waitReady: false });
  await app.waitForLog((l) => l.msg === "ready", 600_000);
  return { app, base: `http://127.0.0.1:${port}`, startMs: performance.now() - started };
}

const server = await startNatsServer();
try {
  const empty = await startApi(server.url);
  await latencies(empty.base, "/api/vehicles?index=0&count=10");
  const baseline = rssMiB(empty.app.proc.pid);
  await empty.app.kill();

  const nc = await connect({ servers: server.url });
  const kv = await openVehiclesBucket(jetstream(nc));
  const jsm = await jetstreamManager(nc);
  const loadStarted = performance.now();
  const encoder = new TextEncoder();
  // A KV put is a publish to $KV.<bucket>.<key>; publishing without waiting for each ack, then checking the
  // stream holds all N, is the fastest honest load (every value really is in the bucket before the API starts).
  for (let from = 0; from < N; from += BATCH) {
    for (let i = from; i < Math.min(N, from + BATCH); i++) {
      const v = vehicle(i);
      nc.publish(`$KV.${BUCKETS.vehicles}.${v.registration}`, encoder.encode(JSON.stringify(v)));
    }
    await nc.flush();
    if ((from / BATCH) % 20 === 0) process.stderr.write(`\rloaded ${from + BATCH}/${N}`);
  }
  const stream = `KV_${BUCKETS.vehicles}`;
  await waitFor(async () => (await jsm.streams.info(stream)).state.messages >= N, { timeoutMs: 600_000, intervalMs: 100, what: `${N} records in ${stream}` });
  const stored = (await kv.status()).values;
  if (stored !== N) throw new Error(`expected ${N} vehicles in KV, found ${stored}`);
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  process.stderr.write("\n");
  await nc.close();

  const api = await startApi(server.url);
  const deep = Math.floor(N * 0.99);
  const fords = ((await (await fetch(`${api.base}/api/vehicles?manufacturer=ford&count=1`)).json()) as { total: number }).total;
  const deepFord = Math.floor(fords * 0.99);
  const results = {
    [`GET /api/vehicles?index=${deep}&count=10`]: await latencies(api.base, `/api/vehicles?index=${deep}&count=10`),
    "GET /api/vehicles?index=0&count=10": await latencies(api.base, "/api/vehicles?index=0&count=10"),
    [`GET /api/vehicles?manufacturer=ford&index=${deepFord}&count=10 (of ${fords})`]: await latencies(api.base, `/api/vehicles?manufacturer=ford&index=${deepFord}&count=10`),
    "GET /api/vehicles?manufacturer=ford&color=red&count=10 (combined)": await latencies(api.base, "/api/vehicles?manufacturer=ford&color=red&count=10"),
    "GET /api/vehicles/{registration}": await latencies(api.base, `/api/vehicles/${vehicle(deep).registration}`),
  };
  const loaded = rssMiB(api.app.proc.pid);
  await api.app.kill();

  console.log(`vehicles stored:            ${N.toLocaleString("en-GB")}`);
  console.log(`bulk load into KV:          ${loadSeconds.toFixed(1)} s (${Math.round(N / loadSeconds).toLocaleString("en-GB")}/s)`);
  console.log(`API start to "ready":       ${(api.startMs / 1000).toFixed(1)} s (empty store: ${(empty.startMs / 1000).toFixed(1)} s)`);
  console.log(`API RSS:                    ${loaded.toFixed(0)} MiB (empty store: ${baseline.toFixed(0)} MiB)`);
  console.log(`RSS per 100,000 vehicles:   ${(((loaded - baseline) / N) * 100_000).toFixed(1)} MiB`);
  for (const [what, figure] of Object.entries(results)) console.log(`${what.padEnd(68)} ${figure}`);
} finally {
  await server.dispose();
}
