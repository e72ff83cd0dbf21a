import { afterAll, beforeAll, expect, test } from "bun:test";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { STREAMS } from "../contracts/subjects.ts";
import { startNatsCluster, startNatsServer, waitFor, type TestNatsCluster, type TestNatsServer } from "../testing/index.ts";
import { placedReplicas, ReplicaError } from "./replicas.ts";
import { BUCKET_CONFIGS, ensureBuckets, ensureStreams, streamConfigs } from "./streams.ts";

const STREAM_CONFIGS = streamConfigs("local");

let cluster: TestNatsCluster;
let single: TestNatsServer;
let nc: NatsConnection;
let singleNc: NatsConnection;

beforeAll(async () => {
  // The cluster requires Forecourt's users, as bun run dev --cluster's does: admin sets up, apps only bind.
  [cluster, single] = await Promise.all([startNatsCluster(3, { secured: true }), startNatsServer()]);
  nc = await cluster.users!.connect("admin");
  singleNc = await connect({ servers: single.url });
}, 60_000);

afterAll(async () => {
  await Promise.all([nc?.close(), singleNc?.close()]);
  await Promise.all([cluster?.dispose(), single?.dispose()]);
});

const allStreams = [...STREAM_CONFIGS.map((c) => c.name), ...BUCKET_CONFIGS.map((c) => `KV_${c.bucket}`)];

test("an app's user that finds a stream with fewer replicas than NATS_REPLICAS refuses in one line, leaving the raise to admin", async () => {
  await ensureStreams(await jetstreamManager(nc), "local", { replicas: 1 });
  const pricer = await cluster.users!.connect("pricer");
  try {
    const refused = await ensureStreams(await jetstreamManager(pricer), "local", { replicas: 3 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ReplicaError);
    expect((refused as Error).message).toStartWith("stream VEHICLES has 1 replica and cannot be raised to 3: only admin may change it (bun run dev's setup raises it);");
    expect((refused as Error).message).not.toContain("\n");
  } finally {
    await pricer.close();
  }
  expect((await (await jetstreamManager(nc)).streams.info(STREAMS.vehicles.name)).config.num_replicas).toBe(1);
}, 30_000);

test("streams and buckets made with one replica are raised to three in place, keeping their messages", async () => {
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm, "local", { replicas: 1 });
  await ensureBuckets(js, { replicas: 1 });
  await js.publish("forecourt.vehicles.listed.ford.ford-fiesta.local", "{}");
  for (const name of allStreams) expect((await jsm.streams.info(name)).config.num_replicas).toBe(1);

  const ensured = [...(await ensureStreams(jsm, "local", { replicas: 3 })), ...(await ensureBuckets(js, { replicas: 3 }))];
  expect(ensured.map((e) => [e.stream, e.replicas, e.raisedFrom])).toEqual(allStreams.map((name) => [name, 3, 1]));
  for (const name of allStreams) {
    const info = await waitFor(async () => {
      const i = await jsm.streams.info(name);
      return placedReplicas(i) === 3 && i.cluster?.leader ? i : undefined;
    }, { timeoutMs: 20_000, what: `${name} on three servers` });
    expect(info.config.num_replicas).toBe(3);
  }
  expect((await jsm.streams.info(STREAMS.vehicles.name)).state.messages).toBe(1);
}, 60_000);

test("a lower setting later never lowers a stream's replicas", async () => {
  const jsm = await jetstreamManager(nc);
  const ensured = await ensureStreams(jsm, "local", { replicas: 1 });
  expect(ensured.map((e) => [e.stream, e.replicas, e.raisedFrom])).toEqual(STREAM_CONFIGS.map((c) => [c.name, 3, undefined]));
  expect((await jsm.streams.info(STREAMS.vehicles.name)).config.num_replicas).toBe(3);
});

test("a single server refuses three replicas in one line, and an existing stream there stays honestly at one", async () => {
  const jsm = await jetstreamManager(singleNc);
  const created = await ensureStreams(jsm, "local", { replicas: 3 }).catch((e: unknown) => e);
  expect(created).toBeInstanceOf(ReplicaError);
  expect((created as Error).message).toStartWith("cannot create stream VEHICLES with 3 replicas: replicas > 1 not supported in non-clustered mode (JetStream error 10074); NATS_REPLICAS=3 needs");
  expect((created as Error).message).not.toContain("\n");

  await ensureStreams(jsm, "local", { replicas: 1 });
  const raised = await ensureStreams(jsm, "local", { replicas: 3 }).catch((e: unknown) => e);
  expect((raised as Error).message).toBe(
    "stream VEHICLES has 1 replica and cannot be raised to 3: the server is not part of a JetStream cluster; NATS_REPLICAS=3 needs a JetStream cluster of at least 3 servers (bun run dev --cluster), or set NATS_REPLICAS=1",
  );
  // nats-server 2.9 would store num_replicas 3 on a single server and keep one copy: the refusal comes first.
  expect((await jsm.streams.info(STREAMS.vehicles.name)).config.num_replicas).toBe(1);

  const bucket = await ensureBuckets(jetstream(singleNc), { replicas: 3 }).catch((e: unknown) => e);
  expect((bucket as Error).message).toStartWith("cannot create stream KV_vehicles with 3 replicas: replicas > 1 not supported");
});
