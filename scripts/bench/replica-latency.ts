/**
 * What replication costs a write: p50/p99 of KV create (what a POST does first) and of a stream publish (the
 * event after it), one at a time so each figure is a round trip, on a single server (R1) and on a three-server
 * cluster with R1 and R3 streams. The client connects to nats-1; the cluster places each stream's leader.
 *
 *   bun scripts/bench/replica-latency.ts [writes=2000]
 */
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { loadavg } from "node:os";
import { startNatsCluster, startNatsServer } from "@forecourt/shared/testing";
import { percentile } from "../report/percentiles.ts";

const writes = Number(process.argv[2] ?? 2_000);
if (!Number.isInteger(writes) || writes < 10) {
  console.error("usage: bun scripts/bench/replica-latency.ts [writes>=10]");
  process.exit(2);
}

async function timed(op: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 50; i++) await op(-1 - i); // warm up: connections, leader lookups
  const ms: number[] = [];
  for (let i = 0; i < writes; i++) {
    const started = performance.now();
    await op(i);
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 0.5), p99: percentile(ms, 0.99) };
}

async function measure(nc: NatsConnection, replicas: number, label: string): Promise<string[]> {
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const bucket = `lat-r${replicas}`;
  const kv = await new Kvm(js).create(bucket, { history: 1, replicas });
  await jsm.streams.add({ name: `LAT_R${replicas}`, subjects: [`lat.r${replicas}.>`], num_replicas: replicas, duplicate_window: 600_000_000_000 });
  const leader = (await jsm.streams.info(`KV_${bucket}`)).cluster?.leader ?? "the server";
  const body = new TextEncoder().encode(JSON.stringify({ registration: "AB12CDE", modelCode: "ford-fiesta", color: "Red", year: 2019, pending: { kind: "listed" } }));
  const create = await timed((i) => kv.create(`K${i < 0 ? `W${-i}` : i}`, body));
  const publish = await timed((i) => js.publish(`lat.r${replicas}.ford.ford-fiesta`, body, { msgID: `m${i}` }));
  const f = (n: number) => `${n.toFixed(2)} ms`;
  return [`| ${label} | KV create | ${f(create.p50)} | ${f(create.p99)} | ${leader} |`, `| ${label} | stream publish (with Nats-Msg-Id) | ${f(publish.p50)} | ${f(publish.p99)} | ${leader} |`];
}

const rows: string[] = [];
const single = await startNatsServer();
const singleNc = await connect({ servers: single.url });
rows.push(...(await measure(singleNc, 1, "1 server, R1")));
await singleNc.close();
await single.dispose();

const cluster = await startNatsCluster(3);
const nc = await connect({ servers: cluster.node("nats-1").url });
try {
  rows.push(...(await measure(nc, 1, "3 servers, R1")));
  rows.push(...(await measure(nc, 3, "3 servers, R3")));
} finally {
  await nc.close();
  await cluster.dispose();
}
console.log(`${writes} sequential writes each, client on nats-1; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
console.log(["| store | write | p50 | p99 | stream leader |", "|---|---|---|---|---|", ...rows].join("\n"));
