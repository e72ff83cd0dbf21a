/**
 * `bun scripts/bench/api-scale.ts [N]` (default 1,000,000): how the API copes with N stored vehicles.
 * Starts a throwaway nats-server on a free port, measures the API's RSS on an empty store, bulk-loads N
 * settled vehicle records straight into the `vehicles` KV bucket (pipelined puts, then a check that all N are
 * stored; no events, as for a restored backup), starts the API as a real process, and prints start-up time, RSS per 100,000 vehicles and
 * p50/p99 latencies of deep pages, filtered pages and single reads. Sequential requests over loopback.
 * Then a restart: the first API wrote its index snapshot (API_SNAPSHOT_PATH) and stops; while it is down 1% of
 * the cars change (updates, deletes, new cars); the API starts again from the snapshot and the same figures
 * are taken, after checking the list holds exactly what the bucket does.
 */
import { SEED_CATALOG } from "@forecourt/shared/catalog";
import { BUCKETS } from "@forecourt/shared/contracts";
import { freePort, startApp, startNatsServer, waitFor } from "@forecourt/shared/testing";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { join } from "node:path";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname } from "node:path";
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
const SNAPSHOT = join(mkdtempSync(join(tmpdir(), "forecourt-api-scale-")), "vehicle-index.snapshot");
/** Changes of each kind while the API is down. */
const CHANGES = Math.max(1, Math.floor(N / 300));

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

async function startApi(natsUrl: string, snapshot = "") {
  const port = await freePort();
  const started = performance.now();
  const app = await startApp(MAIN, { NATS_URL: natsUrl, API_PORT: String(port), DEMO_VEHICLES: "0", LOG_LEVEL: "info", API_SNAPSHOT_PATH: snapshot }, { waitReady: false });
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

  const deep = Math.floor(N * 0.99);
  const measure = async (base: string) => {
    const fords = ((await (await fetch(`${base}/api/vehicles?manufacturer=ford&count=1`)).json()) as { total: number }).total;
    const deepFord = Math.floor(fords * 0.99);
    return {
      [`GET /api/vehicles?index=${deep}&count=10`]: await latencies(base, `/api/vehicles?index=${deep}&count=10`),
      "GET /api/vehicles?index=0&count=10": await latencies(base, "/api/vehicles?index=0&count=10"),
      [`GET /api/vehicles?manufacturer=ford&index=${deepFord}&count=10 (of ${fords})`]: await latencies(base, `/api/vehicles?manufacturer=ford&index=${deepFord}&count=10`),
      "GET /api/vehicles?manufacturer=ford&color=red&count=10 (combined)": await latencies(base, "/api/vehicles?manufacturer=ford&color=red&count=10"),
      "GET /api/vehicles/{registration}": await latencies(base, `/api/vehicles/${vehicle(deep).registration}`),
    };
  };

  // First start: no snapshot yet, so the whole bucket is read; the snapshot is written a second after "ready".
  const api = await startApi(server.url, SNAPSHOT);
  const written = await api.app.waitForLog((l) => l.msg === "vehicle index snapshot written", 120_000);
  const results = await measure(api.base);
  const loaded = rssMiB(api.app.proc.pid);
  await api.app.kill();

  // While it is down another instance would go on writing: update, delete and add CHANGES cars each.
  const writer = await connect({ servers: server.url });
  const changes = await openVehiclesBucket(jetstream(writer));
  for (let i = 0; i < CHANGES; i++) {
    const updated = vehicle(i * 3);
    await changes.put(updated.registration, JSON.stringify({ ...updated, color: "Ochre" }));
    await changes.delete(vehicle(i * 3 + 1).registration);
    const added = vehicle(N + i);
    await changes.put(added.registration, JSON.stringify(added));
  }
  await writer.close();

  const restarted = await startApi(server.url, SNAPSHOT);
  const restoredLine = restarted.app.logs.find((l) => l.msg === "vehicle index restored from snapshot");
  if (!restoredLine) throw new Error(`the restarted API did not use its snapshot: ${JSON.stringify(restarted.app.logs.filter((l) => l.level !== "debug").slice(0, 12))}`);
  const total = ((await (await fetch(`${restarted.base}/api/vehicles?count=1`)).json()) as { total: number }).total;
  const purple = ((await (await fetch(`${restarted.base}/api/vehicles?color=ochre&count=1`)).json()) as { total: number }).total;
  if (total !== N || purple !== CHANGES) throw new Error(`after the restart the list holds ${total} cars (${purple} ochre), expected ${N} (${CHANGES} ochre)`);
  // It writes a snapshot of what it replayed a second after "ready": measured after that, as the first start was.
  await restarted.app.waitForLog((l) => l.msg === "vehicle index snapshot written", 120_000);
  const resumedResults = await measure(restarted.base);
  const resumed = rssMiB(restarted.app.proc.pid);
  await restarted.app.kill();

  console.log(`vehicles stored:            ${N.toLocaleString("en-GB")}`);
  console.log(`bulk load into KV:          ${loadSeconds.toFixed(1)} s (${Math.round(N / loadSeconds).toLocaleString("en-GB")}/s)`);
  console.log(`API start to "ready":       ${(api.startMs / 1000).toFixed(1)} s without a snapshot (empty store: ${(empty.startMs / 1000).toFixed(1)} s)`);
  console.log(`  from its snapshot:        ${(restarted.startMs / 1000).toFixed(1)} s (snapshot restored in ${restoredLine.durationMs} ms, then ${(CHANGES * 3).toLocaleString("en-GB")} changes made while down replayed)`);
  console.log(`snapshot:                   ${(Number(written.bytes) / 1048576).toFixed(0)} MiB, written in ${written.durationMs} ms`);
  console.log(`API RSS:                    ${loaded.toFixed(0)} MiB, ${resumed.toFixed(0)} MiB from the snapshot (empty store: ${baseline.toFixed(0)} MiB)`);
  console.log(`RSS per 100,000 vehicles:   ${(((loaded - baseline) / N) * 100_000).toFixed(1)} MiB (from the snapshot: ${(((resumed - baseline) / N) * 100_000).toFixed(1)} MiB)`);
  console.log(`${"latencies".padEnd(68)} ${"full load".padEnd(28)} from the snapshot`);
  for (const [what, figure] of Object.entries(results)) console.log(`${what.padEnd(68)} ${figure.padEnd(28)} ${Object.values(resumedResults)[Object.keys(results).indexOf(what)]}`);
} finally {
  await server.dispose();
  rmSync(dirname(SNAPSHOT), { recursive: true, force: true });
}
