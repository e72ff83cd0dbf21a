/**
 * End-to-end scaling: cars per second from POST to priced, and POST → priced frame latency on a live
 * WebSocket, for a single server (R1) and a three-server cluster (R3) with 1, 2 and 4 pricer instances and
 * 1 and 2 API instances. Each configuration gets a fresh NATS (free ports, temporary stores, requiring Forecourt's
 * users) and fresh apps: `bun run chaos`'s stack and load (scripts/chaos), without faults.
 *
 *   bun scripts/bench/cluster-scale.ts [cars=2000] [rate=100]
 *
 * Throughput: `cars` POSTs, 64 in flight, spread over the API instances; cars/s = cars / (last priced frame −
 * first POST). Latency: `rate` POSTs per second for 10 s (open loop), each car's priced frame on web-1's
 * socket minus its POST's start.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { startNatsCluster, startSecuredNatsServer, waitFor } from "@forecourt/shared/testing";
import { carFor, startLoad } from "../chaos/load.ts";
import { seededRandom } from "../chaos/random.ts";
import { percentile } from "../report/percentiles.ts";
import { startStack, type AppName, type Stack } from "../chaos/stack.ts";

const cars = Number(process.argv[2] ?? 2_000);
const rate = Number(process.argv[3] ?? 100);
if (!Number.isInteger(cars) || cars < 1 || !Number.isInteger(rate) || rate < 1) {
  console.error("usage: bun scripts/bench/cluster-scale.ts [cars>=1] [rate>=1]");
  process.exit(2);
}

interface Config {
  label: string;
  servers: 1 | 3;
  instances: Omit<Record<AppName, number>, "audit-log">;
}

const CONFIGS: Config[] = [
  { label: "1 server, R1: 1 api, 1 pricer", servers: 1, instances: { api: 1, pricer: 1, pricing: 2, web: 1 } },
  { label: "1 server, R1: 2 api, 2 pricers", servers: 1, instances: { api: 2, pricer: 2, pricing: 2, web: 1 } },
  { label: "3 servers, R3: 1 api, 1 pricer", servers: 3, instances: { api: 1, pricer: 1, pricing: 2, web: 1 } },
  { label: "3 servers, R3: 1 api, 2 pricers", servers: 3, instances: { api: 1, pricer: 2, pricing: 2, web: 1 } },
  { label: "3 servers, R3: 1 api, 4 pricers", servers: 3, instances: { api: 1, pricer: 4, pricing: 2, web: 1 } },
  { label: "3 servers, R3: 2 api, 2 pricers", servers: 3, instances: { api: 2, pricer: 2, pricing: 2, web: 1 } },
];

/** Every priced frame web-1 sends, by registration, at the moment it arrives. */
async function watchPriced(webUrl: string) {
  const pricedAt = new Map<string, number>();
  const ws = new WebSocket(`${webUrl.replace("http", "ws")}/ws`);
  await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
  ws.onmessage = (e) => {
    const frame = JSON.parse(String(e.data));
    if (frame.type === "vehicle" && frame.event === "priced" && !frame.backlog) pricedAt.set(frame.vehicle.registration, performance.now());
    // As the page does: a feed pauses once WEB_MAX_UNACKED (2000) frames are left unacknowledged.
    if (typeof frame.seq === "number") ws.send(JSON.stringify({ type: "ack", seq: frame.seq }));
  };
  ws.send(JSON.stringify({ type: "subscribe", manufacturer: null, after: null }));
  await Bun.sleep(200);
  return { pricedAt, close: () => ws.close() };
}

/** Cars per second from the first POST to the last accepted car's priced frame; POSTs not answered 201 are counted apart. */
async function throughput(apiUrls: string[], pricedAt: Map<string, number>, authorization: string): Promise<{ carsPerSecond: number; refused: Record<string, number> }> {
  const started = performance.now();
  const random = seededRandom(1);
  const accepted: string[] = [];
  const refused: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    for (let n = next++; n < cars; n = next++) {
      const registration = `TP${n}`;
      const res = await fetch(`${apiUrls[n % apiUrls.length]}/api/vehicles`, { method: "POST", headers: { "content-type": "application/json", authorization }, body: JSON.stringify(carFor(random, registration)) });
      await res.arrayBuffer();
      if (res.status === 201) accepted.push(registration);
      else refused[res.status] = (refused[res.status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  await waitFor(() => accepted.every((r) => pricedAt.has(r)), {
    timeoutMs: 300_000,
    intervalMs: 20,
    what: () => `${accepted.length} priced frames (${accepted.filter((r) => pricedAt.has(r)).length} seen; refused ${JSON.stringify(refused)})`,
  });
  const last = Math.max(...accepted.map((r) => pricedAt.get(r)!));
  return { carsPerSecond: accepted.length / ((last - started) / 1000), refused };
}

async function latency(stack: Stack, pricedAt: Map<string, number>, authorization: string) {
  const load = startLoad({ rate, targets: stack.apiUrls, random: seededRandom(2), prefix: "LT", headers: { authorization } });
  await Bun.sleep(10_000);
  await load.stop();
  const accepted = load.attempts.filter((a) => a.outcome === "accepted");
  await waitFor(() => accepted.every((a) => pricedAt.has(a.registration)), { timeoutMs: 120_000, intervalMs: 20, what: "every latency car priced" });
  const ms = accepted.map((a) => pricedAt.get(a.registration)! - (load.origin + a.startedAtMs!)).sort((a, b) => a - b);
  return { p50: percentile(ms, 0.5), p99: percentile(ms, 0.99), failed: load.attempts.length - accepted.length };
}

const rows: string[] = [];
for (const config of CONFIGS) {
  const dir = mkdtempSync(join(tmpdir(), "forecourt-scale-"));
  // Both require Forecourt's NATS users, as bun run dev's servers do.
  const single = config.servers === 1 ? await startSecuredNatsServer() : undefined;
  const cluster = single ? undefined : await startNatsCluster(3, { secured: true });
  const nats = single ?? { url: cluster!.url, dispose: () => cluster!.dispose() };
  let stack: Stack | undefined;
  try {
    stack = await startStack({ dir, nats, users: single ?? cluster!.users!, replicas: config.servers, instances: { ...config.instances, "audit-log": 1 } });
    const authorization = `Bearer ${stack.dealerKey}`;
    const feed = await watchPriced(stack.webUrls[0]!);
    const { carsPerSecond, refused } = await throughput(stack.apiUrls(), feed.pricedAt, authorization);
    const lat = await latency(stack, feed.pricedAt, authorization);
    feed.close();
    const failed = Object.entries(refused).map(([status, n]) => `${n}×${status}`).join(" ");
    const row = `| ${config.label} | ${Math.round(carsPerSecond)} | ${lat.p50.toFixed(1)} ms | ${lat.p99.toFixed(1)} ms |${failed || lat.failed ? ` throughput POSTs refused: ${failed || "none"}; latency POSTs failed: ${lat.failed} |` : ""}`;
    console.log(row);
    rows.push(row);
  } finally {
    // The stack's stop disposes of its NATS too.
    await (stack ? stack.stop() : nats.dispose());
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(`\n${cars} cars for throughput (64 in flight), ${rate} cars/s for 10 s for latency; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
console.log(["| configuration | cars/s end to end | POST → priced frame p50 | p99 |", "|---|---|---|---|", ...rows].join("\n"));
