import { afterAll, beforeAll, expect, test } from "bun:test";
import { CONSUMERS, STREAMS, vehicleSubject } from "@forecourt/shared/contracts";
import { DEAD_LETTER_SPARE_DELIVERIES, DEFAULT_CONSUMER_SETTINGS, type DeadLetterRecord } from "@forecourt/shared/platform";
import { readStream, startNatsServer, waitFor, type TestNatsServer } from "@forecourt/shared/testing";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { headers } from "@nats-io/transport-node";
import { runDlq } from "../../../scripts/dlq/run-dlq.ts";
import { startTestApi, type TestApi } from "./test-support.ts";

let server: TestNatsServer;
let api: TestApi;

beforeAll(async () => {
  server = await startNatsServer();
  api = await startTestApi(server.url);
}, 30_000);
afterAll(async () => {
  await api?.close();
  await server?.dispose();
}, 30_000);

const dlq = (...args: string[]) => runDlq(server.url, ...args);
const listed = async () => (await dlq("list", "--json")).stdout.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as DeadLetterRecord);

test("a priced event that breaks the contract is dead-lettered at once, listed by `bun run dlq` with reason and subject, and redriven to the consumer", async () => {
  const subject = vehicleSubject("priced", "ford", "ford-fiesta", "local");
  const h = headers();
  h.set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  const js = jetstream(api.nc);
  const original = await js.publish(subject, '{"registration":"BAD"}', { headers: h, msgID: "priced:BAD" });

  const [letter] = await waitFor(async () => {
    const letters = await listed();
    return letters.length ? letters : undefined;
  }, { what: "the dead letter in `bun run dlq list`" });
  expect(letter).toMatchObject({ consumer: CONSUMERS.api, subject, originalStream: STREAMS.vehicles.name, originalSequence: original.seq, deliveries: 1 });
  expect(letter!.reason).toStartWith("InvalidEventError: priced event lacks");
  const table = (await dlq("list")).stdout;
  expect(table).toContain(`${CONSUMERS.api}  `);
  expect(table).toContain(subject);
  expect(table).not.toContain("(unknown)");

  const redriven = await dlq("redrive", String(letter!.id));
  expect(redriven).toMatchObject({ code: 0, stderr: "" });
  expect(redriven.stdout).toContain(`redrove ${letter!.id} to ${subject}`);

  // Back on its original subject, with its trace, and through api-prices again: dead-lettered anew under a new id.
  const onSubject = await readStream(js, STREAMS.vehicles.name, subject);
  expect(onSubject.map((m) => new TextDecoder().decode(m.data))).toEqual(['{"registration":"BAD"}', '{"registration":"BAD"}']);
  expect(onSubject[1]!.headers?.get("traceparent")).toBe(h.get("traceparent"));
  const [again] = await waitFor(async () => {
    const letters = await listed();
    return letters.length && letters[0]!.id !== letter!.id ? letters : undefined;
  }, { what: "the redriven message dead-lettered again" });
  expect(again).toMatchObject({ consumer: CONSUMERS.api, subject, originalSequence: onSubject[1]!.seq });
  expect((await listed()).map((l) => l.id)).toEqual([again!.id]);
}, 30_000);

test("forged priced events (bad currency, negative price, future pricedAt) change no stored vehicle and land in DEADLETTER", async () => {
  expect((await api.request("POST", "/api/vehicles", { registration: "FORGE1", modelCode: "ford-fiesta", color: "Blue", year: 2015 })).status).toBe(201);
  const car = await (await api.request("GET", "/api/vehicles/FORGE1")).json();
  const { _links, _actions, price: _none, ...fields } = car;
  const subject = vehicleSubject("priced", "ford", "ford-fiesta", "local");
  const js = jetstream(api.nc);
  const genuine = { ...fields, price: 4_560, currencyCode: "GBP", pricedAt: new Date().toISOString() };
  await js.publish(subject, JSON.stringify(genuine), { msgID: "priced:FORGE1:genuine" });
  await waitFor(async () => (await (await api.request("GET", "/api/vehicles/FORGE1")).json()).price, { what: "the genuine price" });

  const before = (await dlq("list", "--json")).stdout;
  const later = new Date(Date.now() + 1_000).toISOString();
  const forgeries = [
    { ...genuine, price: 999_999_999, currencyCode: "<script>alert(1)</script>", pricedAt: later },
    { ...genuine, price: -5, pricedAt: later },
    { ...genuine, price: 1, pricedAt: "2099-01-01T00:00:00.000Z" },
  ];
  for (const [i, forged] of forgeries.entries()) await js.publish(subject, JSON.stringify(forged), { msgID: `forged:${i}` });

  const letters = await waitFor(async () => {
    const all = await listed();
    const fresh = all.filter((l) => !before.includes(`"id":${l.id},`));
    return fresh.length === forgeries.length ? fresh : undefined;
  }, { what: "three dead letters" });
  expect(letters.map((l) => l.reason)).toEqual([
    expect.stringContaining("currencyCode must be an ISO 4217 code"),
    expect.stringContaining("price must be a whole number from 1 to 10,000,000, got -5"),
    expect.stringContaining("pricedAt must not be in the future"),
  ]);
  for (const letter of letters) expect(letter).toMatchObject({ consumer: CONSUMERS.api, subject, deliveries: 1 });
  expect((await (await api.request("GET", "/api/vehicles/FORGE1")).json()).price).toEqual({ amount: 4_560, currencyCode: "GBP" });
}, 30_000);

test("an api-prices consumer left by an older API, on a stream from before origins, takes the new settings and filter when an API starts", async () => {
  const jsm = await jetstreamManager(api.nc);
  await jsm.consumers.delete(STREAMS.vehicles.name, CONSUMERS.api);
  // What an older Forecourt left: VEHICLES on every vehicle subject, the durable on every price.
  await jsm.streams.update(STREAMS.vehicles.name, { subjects: ["forecourt.vehicles.>"] });
  await jsm.consumers.add(STREAMS.vehicles.name, { durable_name: CONSUMERS.api, filter_subject: "forecourt.vehicles.priced.>", ack_policy: AckPolicy.Explicit, max_deliver: 10, description: "old" });
  const another = await startTestApi(server.url);
  try {
    expect((await jsm.streams.info(STREAMS.vehicles.name)).config.subjects).toEqual(["forecourt.vehicles.*.*.*.local"]);
    const { config } = await jsm.consumers.info(STREAMS.vehicles.name, CONSUMERS.api);
    expect(config).toMatchObject({
      filter_subject: "forecourt.vehicles.priced.*.*.local",
      max_deliver: DEFAULT_CONSUMER_SETTINGS.maxDeliver + DEAD_LETTER_SPARE_DELIVERIES,
      ack_wait: DEFAULT_CONSUMER_SETTINGS.ackWaitMs * 1_000_000,
      description: "The API records each price on its vehicle",
    });
  } finally {
    await another.close();
  }
}, 30_000);
