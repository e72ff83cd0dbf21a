import { afterAll, beforeAll, expect, test } from "bun:test";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, headers, type NatsConnection } from "@nats-io/transport-node";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace";
import { parsePrometheusText, sampleSum, startNatsServer, type TestNatsServer } from "../testing/index.ts";
import { readStream } from "../testing/jetstream.ts";
import { waitFor } from "../testing/wait.ts";
import { DLQ_HEADERS } from "./dead-letter.ts";
import { createLogger } from "./log.ts";
import { ensureStreams } from "./streams.ts";
import { ensureDurableConsumer, PermanentError, startDurableConsumer, type ConsumerSettings, type RunningConsumer } from "./consumer.ts";
import { newTraceparent } from "../testing/traces.ts";
import { pollConsumerInfo } from "./consumer-metrics.ts";
import { metricsRegistry } from "./metrics.ts";
import { activeSpanIds, SpanKind } from "./spans.ts";
import { startTracing } from "./tracing.ts";

let nats: TestNatsServer;
let nc: NatsConnection;
let streams = 0;
const exporter = new InMemorySpanExporter();
const tracing = await startTracing({ service: "consumer-test", processor: new SimpleSpanProcessor({ exporter }) });

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  await ensureStreams(await jetstreamManager(nc), "local");
});

afterAll(async () => {
  await nc?.close();
  await nats?.dispose();
  await tracing.stop();
});

const settings: ConsumerSettings = { maxDeliver: 4, ackWaitMs: 30_000, concurrency: 4, backoff: { initialMs: 20, maxMs: 60 } };

/** A fresh stream per test (unique names), a logger that keeps its lines, and the consumer under test. */
async function setup(handle: Parameters<typeof startDurableConsumer>[0]["handle"]) {
  const name = `T${++streams}`;
  await (await jetstreamManager(nc)).streams.add({ name, subjects: [`${name.toLowerCase()}.>`] });
  const logs: Record<string, unknown>[] = [];
  const log = createLogger({ service: "test", write: (line) => logs.push(JSON.parse(line)) });
  const consumer = await startDurableConsumer({ nc, stream: name, durable: `c-${name}`, filterSubject: `${name.toLowerCase()}.>`, description: "test", settings, log, handle });
  const publish = (token: string, body: string, traceparent = newTraceparent().traceparent) => {
    const h = headers();
    h.set("traceparent", traceparent);
    return jetstream(nc).publish(`${name.toLowerCase()}.${token}`, body, { headers: h });
  };
  return { name, logs, consumer, publish };
}

async function until(consumer: RunningConsumer, done: () => boolean) {
  await waitFor(done, { timeoutMs: 15_000, intervalMs: 20, what: () => `the consumer's counters (now ${JSON.stringify(consumer.counters)})` });
}

test("transient failures are retried with doubling, capped delays and dead-lettered on the last delivery", async () => {
  const deliveries: number[] = [];
  const { logs, consumer, publish, name } = await setup(async (m) => {
    deliveries.push(m.info.deliveryCount);
    throw new Error("calculator unavailable");
  });
  await publish("flaky", "body-1");
  await until(consumer, () => consumer.counters.deadLettered === 1);
  await consumer.stop();

  expect(deliveries).toEqual([1, 2, 3, 4]);
  expect(logs.filter((l) => l.msg === "message retry scheduled").map((l) => l.delayMs)).toEqual([20, 40, 60]);
  const letters = (await readStream(jetstream(nc), "DEADLETTER", `forecourt.deadletter.c-${name}.>`));
  expect(letters).toHaveLength(1);
  expect(new TextDecoder().decode(letters[0]!.data)).toBe("body-1");
  expect(letters[0]!.headers?.get(DLQ_HEADERS.deliveries)).toBe("4");
  expect(letters[0]!.headers?.get(DLQ_HEADERS.reason)).toBe("Error: calculator unavailable");
});

test("a permanent failure is dead-lettered at once while the messages behind it are handled", async () => {
  const handled: string[] = [];
  const traces: (string | undefined)[] = [];
  const { consumer, publish } = await setup(async (m) => {
    traces.push(activeSpanIds()?.traceId);
    if (m.string() === "poison") throw new PermanentError("cannot be priced");
    handled.push(m.string());
  });
  await publish("a", "poison");
  for (let i = 0; i < 10; i++) await publish("b", `ok-${i}`);
  await until(consumer, () => consumer.counters.processed === 10 && consumer.counters.deadLettered === 1);
  await consumer.stop();
  expect(consumer.counters.retried).toBe(0);
  expect(handled.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `ok-${i}`).sort());
  // Each message was handled inside the trace its headers carried.
  expect(traces.every((t) => typeof t === "string")).toBe(true);
  expect(new Set(traces).size).toBe(11);
});

test("every outcome is counted and timed per consumer, and each delivery is a CONSUMER span under its publisher's", async () => {
  const seen = new Set<string>();
  const { consumer, publish, name } = await setup(async (m) => {
    if (m.string() === "poison") throw new PermanentError("cannot be priced");
    if (m.string() === "flaky" && !seen.has("flaky")) {
      seen.add("flaky");
      throw new Error("calculator unavailable");
    }
  });
  const sent = newTraceparent();
  await publish("a", "poison");
  await publish("a", "flaky");
  for (let i = 0; i < 3; i++) await publish("b", `ok-${i}`, i === 0 ? sent.traceparent : undefined);
  await until(consumer, () => consumer.counters.processed === 4 && consumer.counters.deadLettered === 1);
  await consumer.stop();

  const labels = { stream: name, consumer: `c-${name}` };
  const exposition = parsePrometheusText(await metricsRegistry.metrics());
  expect(sampleSum(exposition, "forecourt_consumer_processed_total", labels)).toBe(4);
  expect(sampleSum(exposition, "forecourt_consumer_retried_total", labels)).toBe(1);
  expect(sampleSum(exposition, "forecourt_consumer_dead_lettered_total", labels)).toBe(1);
  expect(sampleSum(exposition, "forecourt_consumer_in_flight", labels)).toBe(0);
  expect(sampleSum(exposition, "forecourt_consumer_handler_duration_seconds_count", { ...labels, outcome: "processed" })).toBe(4);
  expect(sampleSum(exposition, "forecourt_consumer_handler_duration_seconds_count", { ...labels, outcome: "retried" })).toBe(1);

  const spans = exporter.getFinishedSpans().filter((s) => s.name === `process c-${name}`);
  expect(spans).toHaveLength(6);
  const mine = spans.find((s) => s.spanContext().traceId === sent.traceId)!;
  expect(mine.kind).toBe(SpanKind.CONSUMER);
  expect(mine.parentSpanContext?.spanId).toBe(sent.spanId);
  expect(spans.filter((s) => s.status.code === 2)).toHaveLength(2);
});

test("pending and ack pending are read from the durable's info as they change", async () => {
  const jsm = await jetstreamManager(nc);
  const name = `T${++streams}`;
  await jsm.streams.add({ name, subjects: [`${name.toLowerCase()}.>`] });
  await jsm.consumers.add(name, { durable_name: "idle", ack_policy: AckPolicy.Explicit });
  for (let i = 0; i < 5; i++) await jetstream(nc).publish(`${name.toLowerCase()}.x`, `m${i}`);
  const poll = pollConsumerInfo(jsm, name, "idle", createLogger({ service: "test", write: () => {} }), 50);
  const read = async () => {
    const exposition = parsePrometheusText(await metricsRegistry.metrics());
    return [sampleSum(exposition, "forecourt_consumer_pending", { stream: name, consumer: "idle" }), sampleSum(exposition, "forecourt_consumer_ack_pending", { stream: name, consumer: "idle" })];
  };
  try {
    await waitFor(async () => (await read())[0] === 5, { what: "pending 5" });
    expect(await read()).toEqual([5, 0]);
    const batch = await (await jetstream(nc).consumers.get(name, "idle")).fetch({ max_messages: 2 });
    for await (const _ of batch) {
      // delivered, left unacked
    }
    await waitFor(async () => (await read()).join() === "3,2", { what: "pending 3, ack pending 2" });
  } finally {
    poll.stop();
  }
});

test("a message that hangs does not hold up the others, and stop waits for it to finish", async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const { consumer, publish } = await setup(async (m) => {
    if (m.string() === "slow") await gate;
  });
  await publish("a", "slow");
  for (let i = 0; i < 5; i++) await publish("b", `ok-${i}`);
  await until(consumer, () => consumer.counters.processed === 5);
  expect(consumer.counters.inFlight).toBe(1);
  const stopped = consumer.stop();
  release();
  await stopped;
  expect(consumer.counters.processed).toBe(6);
});

test("instances racing to create one durable all start, and an existing durable takes a newer deployment's settings and filter", async () => {
  const jsm = await jetstreamManager(nc);
  const name = `T${++streams}`;
  await jsm.streams.add({ name, subjects: [`${name.toLowerCase()}.>`] });
  const config = (maxDeliver: number) => ({ durable_name: "shared", filter_subject: `${name.toLowerCase()}.>`, ack_policy: AckPolicy.Explicit, max_deliver: maxDeliver, description: `max ${maxDeliver}` });
  await Promise.all(Array.from({ length: 4 }, () => ensureDurableConsumer(jsm, name, config(3))));
  expect((await jsm.consumers.info(name, "shared")).config.max_deliver).toBe(3);

  await ensureDurableConsumer(jsm, name, { ...config(9), filter_subject: `${name.toLowerCase()}.other` });
  const { config: updated } = await jsm.consumers.info(name, "shared");
  expect(updated).toMatchObject({ max_deliver: 9, description: "max 9", filter_subject: `${name.toLowerCase()}.other` });
});

test("a handler running past the ack wait keeps its message with in-progress acks: it is delivered once", async () => {
  const deliveries: number[] = [];
  const name = `T${++streams}`;
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name, subjects: [`${name.toLowerCase()}.>`] });
  const log = createLogger({ service: "test", level: "error" });
  const consumer = await startDurableConsumer({
    nc, stream: name, durable: `c-${name}`, filterSubject: `${name.toLowerCase()}.>`, description: "test", log,
    settings: { ...settings, ackWaitMs: 1_000 },
    handle: async (m) => {
      deliveries.push(m.info.deliveryCount);
      await Bun.sleep(3_000);
    },
  });
  await jetstream(nc).publish(`${name.toLowerCase()}.slow`, "slow");
  await until(consumer, () => consumer.counters.processed === 1);
  await Bun.sleep(1_500);
  await consumer.stop();
  expect(deliveries).toEqual([1]);
  expect((await jsm.consumers.info(name, `c-${name}`)).num_redelivered).toBe(0);
}, 20_000);

test("a durable deleted under a running consumer is reported missing, re-created by the repair, and pulled from again", async () => {
  const handled: string[] = [];
  const { consumer, publish, name } = await setup(async (m) => {
    handled.push(m.string());
  });
  await publish("a", "before");
  await until(consumer, () => handled.length === 1);
  const jsm = await jetstreamManager(nc);
  await jsm.consumers.delete(name, `c-${name}`);
  const reason = await waitFor(() => consumer.dependency.probe(), { what: "the probe to report the durable missing" });
  expect(reason).toContain(`c-${name}`);
  await consumer.dependency.repair!();
  expect(await consumer.dependency.probe()).toBeUndefined();
  await publish("b", "after");
  await until(consumer, () => handled.includes("after"));
  await consumer.stop();
}, 20_000);

// Last in this file: it deletes and recreates DEADLETTER.
test("when DEADLETTER cannot be written on the last delivery the message comes back and is dead-lettered later", async () => {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.delete("DEADLETTER");
  const deliveries: number[] = [];
  const { logs, consumer, publish, name } = await setup(async (m) => {
    deliveries.push(m.info.deliveryCount);
    // DEADLETTER comes back only after the first dead-letter attempt has failed.
    if (m.info.deliveryCount === settings.maxDeliver + 1) await ensureStreams(jsm, "local");
    throw new Error("calculator unavailable");
  });
  await publish("lost", "body-lost");
  await until(consumer, () => consumer.counters.deadLettered === 1);
  await consumer.stop();

  expect(deliveries).toEqual([1, 2, 3, 4, 5]);
  expect(logs.filter((l) => l.msg === "dead-letter failed")).toHaveLength(1);
  const letters = await readStream(jetstream(nc), "DEADLETTER", `forecourt.deadletter.c-${name}.>`);
  expect(letters.map((l) => new TextDecoder().decode(l.data))).toEqual(["body-lost"]);
});
