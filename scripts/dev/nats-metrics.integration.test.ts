import { afterAll, beforeAll, expect, test } from "bun:test";
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { freePort, sampleSum, scrape, startNatsServer, type TestNatsServer } from "@forecourt/shared/testing";
import { serveNatsMetrics } from "./nats-metrics.ts";

let nats: TestNatsServer;
let nc: NatsConnection;
let exporter: { url: string; stop(): void };

beforeAll(async () => {
  nats = await startNatsServer({ monitor: true });
  nc = await connect({ servers: nats.url });
  exporter = serveNatsMetrics({ host: "127.0.0.1", port: await freePort(), monitorUrl: nats.monitorUrl! });
});

afterAll(async () => {
  exporter?.stop();
  await nc?.close();
  await nats?.dispose();
});

test("server counters, streams and durable consumers come out as valid exposition; ordered consumers are left out", async () => {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "CARS", subjects: ["cars.>"] });
  await jsm.consumers.add("CARS", { durable_name: "pricer", ack_policy: AckPolicy.Explicit });
  for (let i = 0; i < 3; i++) await jetstream(nc).publish("cars.listed", `car ${i}`);
  const ordered = await jetstream(nc).consumers.get("CARS", { deliver_policy: DeliverPolicy.All });
  await ordered.info();

  const metrics = await scrape(exporter.url);
  expect(metrics.types.get("nats_server_in_messages_total")).toBe("counter");
  expect(sampleSum(metrics, "nats_server_in_messages_total")).toBeGreaterThanOrEqual(3);
  expect(sampleSum(metrics, "nats_server_connections")).toBeGreaterThanOrEqual(1);
  expect(metrics.samples.find((s) => s.name === "nats_server_info")?.labels.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(sampleSum(metrics, "nats_stream_messages", { stream: "CARS" })).toBe(3);
  expect(sampleSum(metrics, "nats_stream_consumers", { stream: "CARS" })).toBe(2);
  expect(sampleSum(metrics, "nats_consumer_pending", { stream: "CARS", consumer: "pricer" })).toBe(3);
  expect(metrics.samples.filter((s) => s.name === "nats_consumer_pending").map((s) => s.labels.consumer)).toEqual(["pricer"]);
});

test("a NATS whose monitoring does not answer makes the target fail (503), not report stale numbers", async () => {
  await nats.stop();
  try {
    const response = await fetch(exporter.url);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("did not answer");
  } finally {
    await nats.start();
  }
});
