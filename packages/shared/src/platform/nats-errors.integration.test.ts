import { afterAll, beforeAll, expect, test } from "bun:test";
import { jetstream, jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { startNatsServer, type TestNatsServer } from "../testing/nats-server.ts";
import { isAlreadyExists, isConsumerNotFound, isStreamNotFound, isWrongLastSequence } from "./nats-errors.ts";

let server: TestNatsServer;
let nc: NatsConnection;
let jsm: JetStreamManager;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "ERRORS", subjects: ["errors.>"] });
});
afterAll(async () => {
  await nc?.close();
  await server?.dispose();
});

/** The error a call fails with; fails the test if the call succeeds. */
async function failure(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

test("the server's 'stream not found' and 'consumer not found' are told apart by code", async () => {
  const noStream = await failure(() => jsm.streams.info("MISSING"));
  expect(isStreamNotFound(noStream)).toBe(true);
  expect(isConsumerNotFound(noStream)).toBe(false);
  const noConsumer = await failure(() => jsm.consumers.info("ERRORS", "missing"));
  expect(isConsumerNotFound(noConsumer)).toBe(true);
  expect(isStreamNotFound(noConsumer)).toBe(false);
});

test("creating a stream that exists with another configuration is 'already exists'", async () => {
  const clash = await failure(() => jsm.streams.add({ name: "ERRORS", subjects: ["other.>"] }));
  expect(isAlreadyExists(clash)).toBe(true);
  expect(isStreamNotFound(clash)).toBe(false);
});

test("KV create of an existing key, KV update on a stale revision and a publish on a stale sequence are 'wrong last sequence'", async () => {
  const kv = await new Kvm(nc).create("errors-kv", { history: 1 });
  const first = await kv.create("k", "v1");
  expect(isWrongLastSequence(await failure(() => kv.create("k", "v2")))).toBe(true);
  await kv.update("k", "v2", first);
  expect(isWrongLastSequence(await failure(() => kv.update("k", "v3", first)))).toBe(true);
  const ack = await jetstream(nc).publish("errors.seq", "one");
  expect(isWrongLastSequence(await failure(() => jetstream(nc).publish("errors.seq", "two", { expect: { lastSequence: ack.seq - 1 } })))).toBe(true);
});
