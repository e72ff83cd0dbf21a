import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from "bun:test";
import { join } from "node:path";
import { Code, ConnectError } from "@connectrpc/connect";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Svcm } from "@nats-io/services";
import { connect, headers, type NatsConnection } from "@nats-io/transport-node";
import { decodeEvent, encodeEvent, SERVICES, STREAMS, SUBJECTS, vehicleFilter, vehicleSubject, type VehicleListedEvent } from "@forecourt/shared/contracts";
import { DLQ_HEADERS, ensureStreams, type DeadLetterRecord } from "@forecourt/shared/platform";
import { countSubject, freePort, newTraceparent, readStream, startApp, startNatsServer, traceIdOf, waitFor, type AppProcess, type TestNatsServer } from "@forecourt/shared/testing";
import { runDlq } from "../../../scripts/dlq/run-dlq.ts";
import { createGetPrice, createPricingTransport } from "./pricing-client.ts";
import { defaultBehaviour, startFakePriceCalculator, testPrice, type FakePriceCalculator } from "./testing/fake-price-calculator.ts";
import { version } from "../package.json";

const root = join(import.meta.dir, "../../..");
const PRICER = join(root, "apps/pricer/src/main.ts");
const VEHICLES = STREAMS.vehicles.name;
const DEADLETTER = STREAMS.deadLetter.name;

let nats: TestNatsServer;
let nc: NatsConnection;
let calculator: FakePriceCalculator;
let apps: AppProcess[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
});

afterAll(async () => {
  await nc?.close();
  await nats?.dispose();
});

beforeEach(async () => {
  // The apps use the real stream names, so each test starts from empty streams and no consumers.
  const jsm = await jetstreamManager(nc);
  for (const stream of [VEHICLES, DEADLETTER]) await jsm.streams.delete(stream).catch(() => undefined);
  await ensureStreams(jsm, "local");
  calculator = await startFakePriceCalculator();
});

afterEach(async () => {
  await Promise.all(apps.map((app) => app.kill("SIGKILL")));
  apps = [];
  await calculator.close();
});

function car(i: number, overrides: Partial<VehicleListedEvent> = {}): VehicleListedEvent {
  return {
    registration: `T${String(i).padStart(6, "0")}`,
    manufacturerCode: "ford",
    manufacturerName: "Ford",
    modelCode: "ford-fiesta",
    modelName: "Fiesta",
    color: ["Blue", "Red", "Silver"][i % 3]!,
    year: 2000 + (i % 25),
    listedAt: "2026-11-28T10:00:00.000Z",
    ...overrides,
  };
}

/** Publishes like the API does: one traced, deduplicated listed event per car. Returns each car's trace id. */
async function publishListed(cars: VehicleListedEvent[]): Promise<Map<string, string>> {
  const js = jetstream(nc);
  const traces = new Map<string, string>();
  for (let start = 0; start < cars.length; start += 100) {
    await Promise.all(
      cars.slice(start, start + 100).map((c) => {
        const trace = newTraceparent();
        traces.set(c.registration, trace.traceId);
        const h = headers();
        h.set("traceparent", trace.traceparent);
        return js.publish(vehicleSubject("listed", c.manufacturerCode, c.modelCode, "local"), encodeEvent("listed", c), { headers: h, msgID: `listed:${c.registration}` });
      }),
    );
  }
  return traces;
}

async function publishRaw(subject: string, body: string) {
  await jetstream(nc).publish(subject, new TextEncoder().encode(body), { msgID: `raw:${body.length}:${subject}` });
}

function startPricer(env: Record<string, string> = {}) {
  return startApp(PRICER, { NATS_URL: nats.url, PRICING_URL: calculator.url, ...env }).then((app) => (apps.push(app), app));
}

async function pricedEvents() {
  const events = await readStream(jetstream(nc), VEHICLES, vehicleFilter({ kind: "priced", origin: "local" }));
  return events.map((e) => ({ ...decodeEvent("priced", e.data), traceId: traceIdOf(e.headers?.get("traceparent")) }));
}

const countPriced = async () => countSubject(await jetstreamManager(nc), VEHICLES, SUBJECTS.priced);
const countDead = async () => countSubject(await jetstreamManager(nc), DEADLETTER, SUBJECTS.deadLetter);

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

const dlq = (...args: string[]) => runDlq(nats.url, ...args);

test("two pricer instances share 1,000 listed cars and price every car exactly once through the real price calculator, each in its own trace", async () => {
  const pricing = await startApp(join(root, "apps/pricing/src/main.ts"), { NATS_URL: nats.url, PRICING_PORT: String(await freePort()), PRICING_HTTP_PORT: String(await freePort()) });
  apps.push(pricing);
  const pricingUrl = String(pricing.logs.find((l) => l.msg === "ready")!.h2c);
  await Promise.all([startPricer({ PRICING_URL: pricingUrl }), startPricer({ PRICING_URL: pricingUrl })]);
  const cars = Array.from({ length: 1_000 }, (_, i) => car(i));
  const traces = await publishListed(cars);

  await waitFor(async () => (await countPriced()) >= 1_000, { timeoutMs: 40_000, what: "1,000 priced events" });
  const priced = await pricedEvents();
  expect(priced).toHaveLength(1_000);
  expect(new Set(priced.map((p) => p.registration)).size).toBe(1_000);
  // Each priced event carries what the calculator quotes for that car, asked directly here.
  const getPrice = createGetPrice(createPricingTransport(pricingUrl), 5_000, "local");
  const quotes = new Map<string, { price: number; currencyCode: string }>();
  for (const p of priced) {
    const key = `${p.modelCode}/${p.color}/${p.year}`;
    if (!quotes.has(key)) quotes.set(key, await getPrice({ modelCode: p.modelCode, color: p.color, year: p.year }));
    expect({ price: p.price, currencyCode: p.currencyCode }).toEqual({ price: quotes.get(key)!.price, currencyCode: quotes.get(key)!.currencyCode });
    expect(p.pricedBy).toBe("local");
    expect(p.price).toBeGreaterThan(0);
    expect(p.traceId).toBe(traces.get(p.registration)!);
  }
  // The calculator's log names each car's trace: cars priced together share one GetPrices line naming all of them.
  // Log lines travel through a pipe, so wait for them rather than race it.
  const rpcTraces = () => new Set(pricing.logs.filter((l) => l.msg === "rpc" && l.code === "ok").flatMap((l) => [l.traceId, ...((l.traceIds as string[] | undefined) ?? [])]));
  await waitFor(() => [...traces.values()].every((traceId) => rpcTraces().has(traceId)), { what: "an rpc log line in every car's trace" }).catch(() => {});
  const logged = rpcTraces();
  for (const traceId of traces.values()) expect(logged.has(traceId)).toBe(true);

  // Both instances did part of the work and, together, each car exactly once.
  const stats = await collect(await new Svcm(nc).client().stats(SERVICES.pricer));
  expect(stats).toHaveLength(2);
  const counters = stats.map((s) => s.endpoints?.[0]?.data as { processed: number; priced: number; duplicates: number; deadLettered: number });
  for (const c of counters) expect(c.processed).toBeGreaterThan(0);
  expect(counters.reduce((sum, c) => sum + c.priced, 0)).toBe(1_000);
  expect(counters.reduce((sum, c) => sum + c.deadLettered, 0)).toBe(0);
}, 60_000);

test("the pricer asks for the cars it handles at once in one GetPrices call, or car by car from a calculator without it", async () => {
  await startPricer();
  await publishListed(Array.from({ length: 200 }, (_, i) => car(i)));
  await waitFor(async () => (await countPriced()) >= 200, { what: "200 priced events" });
  expect(calculator.calls).toHaveLength(200);
  expect(calculator.batchCalls).toBeLessThan(200);
  calculator.batches = false;
  await publishListed(Array.from({ length: 20 }, (_, i) => car(200 + i)));
  await waitFor(async () => (await countPriced()) >= 220, { what: "220 priced events" });
  for (const p of await pricedEvents()) expect(p.price).toBe(testPrice(p));
});

test("a price from a GetPrices call that breaks the contract is never published: the car is dead-lettered, the rest priced", async () => {
  calculator.behaviour = (request, context) => {
    if (request.color === "Forged") return { price: 5n, currencyCode: "<script>alert(1)</script>" };
    if (request.color === "Negative") return { price: -5n, currencyCode: "GBP" };
    return defaultBehaviour(request, context);
  };
  await startPricer();
  await publishListed([car(800, { color: "Forged" }), car(801, { color: "Negative" }), ...Array.from({ length: 10 }, (_, i) => car(i))]);
  await waitFor(async () => (await countPriced()) >= 10 && (await countDead()) >= 2, { what: "10 priced events and 2 dead letters" });
  expect(calculator.batchCalls).toBeGreaterThan(0);
  const priced = await pricedEvents();
  expect(priced.map((p) => p.registration)).not.toContain("T000800");
  expect(priced.map((p) => p.registration)).not.toContain("T000801");
  expect(priced).toHaveLength(10);
  const letters = (await dlq("list", "--json")).stdout.trim().split("\n").map((line) => JSON.parse(line) as DeadLetterRecord);
  expect(letters.map((l) => l.deliveries)).toEqual([1, 1]);
});

test("the pricer sends each car's trace to the price calculator as traceparent", async () => {
  await startPricer();
  const traces = await publishListed(Array.from({ length: 20 }, (_, i) => car(i)));
  await waitFor(async () => (await countPriced()) >= 20, { what: "20 priced events" });
  const callTraces = calculator.calls.map((call) => traceIdOf(call.traceparent));
  expect(new Set(callTraces)).toEqual(new Set(traces.values()));
  for (const p of await pricedEvents()) expect(p.price).toBe(testPrice(p));
});

test("a pricer killed mid-stream leaves no car unpriced and none priced twice", async () => {
  // A short ack wait hands the killed instance's unacked cars to the survivor quickly.
  const env = { PRICER_ACK_WAIT_MS: "3000" };
  const [doomed, survivor] = await Promise.all([startPricer(env), startPricer(env)]);
  calculator.behaviour = async (request, context) => {
    await Bun.sleep(2); // slow enough that the kill lands with cars in flight
    return defaultBehaviour(request, context);
  };
  await publishListed(Array.from({ length: 400 }, (_, i) => car(i)));
  await waitFor(async () => (await countPriced()) >= 100, { timeoutMs: 20_000, what: "100 priced events" });
  await doomed!.kill("SIGKILL");

  await waitFor(async () => (await countPriced()) >= 400, { timeoutMs: 30_000, what: "400 priced events" });
  const priced = await pricedEvents();
  expect(new Set(priced.map((p) => p.registration)).size).toBe(400);
  expect(priced).toHaveLength(400);
  // The kill did land mid-flight: the survivor priced cars the killed instance had taken but not acked.
  expect(survivor!.logs.some((l) => l.msg === "vehicle priced" && Number(l.deliveries) > 1)).toBe(true);
}, 60_000);

test("a pricer is discoverable: it answers $SRV.PING and describes itself and its status endpoint", async () => {
  await startPricer();
  const client = new Svcm(nc).client();
  const pings = await collect(await client.ping(SERVICES.pricer));
  expect(pings.map((p) => p.name)).toEqual([SERVICES.pricer]);
  const [info] = await collect(await client.info(SERVICES.pricer));
  expect(info!.version).toBe(version);
  expect(info!.description).toContain("listed car");
  expect(info!.endpoints.map((e) => e.name)).toEqual(["status"]);
  const status = await nc.request(info!.endpoints[0]!.subject, "", { timeout: 2_000 });
  expect(status.json()).toMatchObject({ processed: 0, retried: 0, deadLettered: 0 });
});

test("the price calculator down for 10 s and then back: every car is priced and none dead-lettered", async () => {
  await startPricer({ PRICER_RETRY_INITIAL_MS: "250", PRICER_RETRY_MAX_MS: "2000", PRICER_MAX_DELIVER: "12", PRICING_TIMEOUT_MS: "1000" });
  await calculator.down();
  await publishListed(Array.from({ length: 50 }, (_, i) => car(i)));
  await Bun.sleep(10_000);
  expect(await countPriced()).toBe(0);
  await calculator.up();

  await waitFor(async () => (await countPriced()) >= 50, { timeoutMs: 15_000, what: "50 priced events" });
  expect(new Set((await pricedEvents()).map((p) => p.registration)).size).toBe(50);
  expect(await countDead()).toBe(0);
  const [stats] = await collect(await new Svcm(nc).client().stats(SERVICES.pricer));
  expect((stats!.endpoints?.[0]?.data as { retried: number }).retried).toBeGreaterThan(0);
}, 40_000);

test("poison messages land in DEADLETTER without blocking the cars behind them, and redrive sends them back", async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  calculator.behaviour = async (request, context) => {
    if (request.color === "Cursed") {
      await gate; // hangs until the test has seen every car behind it priced
      throw new ConnectError("colour not recognised", Code.InvalidArgument);
    }
    if (request.modelCode === "no-such-model") throw new ConnectError("unknown model", Code.NotFound);
    if (request.color === "Unlucky") throw new ConnectError("calculator bug", Code.Internal);
    return defaultBehaviour(request, context);
  };
  await startPricer({ PRICER_RETRY_INITIAL_MS: "20", PRICER_RETRY_MAX_MS: "50", PRICER_MAX_DELIVER: "3", PRICING_TIMEOUT_MS: "20000", PRICER_ACK_WAIT_MS: "30000" });

  await publishRaw("forecourt.vehicles.listed.ford.ford-fiesta.local", "{not json");
  const poison = [car(900, { color: "Cursed" }), car(901, { modelCode: "no-such-model" }), car(902, { color: "Unlucky" })];
  const traces = await publishListed([...poison, ...Array.from({ length: 20 }, (_, i) => car(i))]);

  await waitFor(async () => (await countPriced()) >= 20, { timeoutMs: 15_000, what: "the 20 cars behind the poison priced" });
  expect(calculator.calls.some((call) => call.request.color === "Cursed")).toBe(true);
  release();
  await waitFor(async () => (await countDead()) >= 4, { timeoutMs: 15_000, what: "4 dead letters" });

  const listed = await dlq("list", "--json");
  expect(listed.code).toBe(0);
  const letters = listed.stdout.trim().split("\n").map((line) => JSON.parse(line) as DeadLetterRecord);
  const byReason = (pattern: RegExp) => letters.find((l) => pattern.test(l.reason))!;
  expect(letters).toHaveLength(4);
  expect(letters.every((l) => l.consumer === "pricer" && l.subject.startsWith("forecourt.vehicles.listed."))).toBe(true);
  expect(byReason(/not JSON/).deliveries).toBe(1);
  expect(byReason(/unknown model/).deliveries).toBe(1);
  expect(byReason(/colour not recognised/).deliveries).toBe(1);
  expect(byReason(/calculator bug/).deliveries).toBe(3);
  expect((await dlq("list")).stdout).toContain("calculator bug");

  // The calculator is fixed: redrive one by id, then the rest at once.
  calculator.behaviour = defaultBehaviour;
  const one = await dlq("redrive", String(byReason(/unknown model/).id));
  expect(one.code).toBe(0);
  await waitFor(async () => (await pricedEvents()).some((p) => p.registration === "T000901"), { what: "the redriven car priced" });
  const all = await dlq("redrive", "--all");
  expect(all.code).toBe(0);
  await waitFor(async () => (await countPriced()) >= 23, { what: "every redriven car priced" });

  const priced = await pricedEvents();
  for (const c of poison) expect(priced.find((p) => p.registration === c.registration)?.traceId).toBe(traces.get(c.registration)!);
  // Only the body that breaks the contract is back, as a new dead letter.
  await waitFor(async () => (await countDead()) === 1, { what: "the undecodable message dead-lettered again" });
  const left = (await dlq("list", "--json")).stdout.trim().split("\n").map((line) => JSON.parse(line) as DeadLetterRecord);
  expect(left).toHaveLength(1);
  expect(left[0]!.reason).toMatch(/not JSON/);
  expect(letters.map((l) => l.id)).not.toContain(left[0]!.id);
  expect(priced).toHaveLength(23);

  const unknown = await dlq("redrive", "9999");
  expect(unknown.code).toBe(1);
  expect(unknown.stderr.trim()).toBe("dlq: no dead letter with id 9999 (see `bun run dlq list`)");
}, 60_000);

test("a dead letter keeps the original headers alongside why and where it failed", async () => {
  calculator.behaviour = () => {
    throw new ConnectError("unknown model", Code.NotFound);
  };
  await startPricer();
  const traces = await publishListed([car(1)]);
  await waitFor(async () => (await countDead()) >= 1, { what: "a dead letter" });
  const [letter] = await readStream(jetstream(nc), DEADLETTER, SUBJECTS.deadLetter);
  expect(letter!.subject).toBe("forecourt.deadletter.pricer.forecourt.vehicles.listed.ford.ford-fiesta.local");
  expect(decodeEvent("listed", letter!.data)).toEqual(car(1));
  expect(traceIdOf(letter!.headers?.get("traceparent"))).toBe(traces.get("T000001")!);
  expect(letter!.headers?.get(DLQ_HEADERS.msgId)).toBe("listed:T000001");
  expect(letter!.headers?.get(DLQ_HEADERS.stream)).toBe("VEHICLES");
  expect(letter!.headers?.get(DLQ_HEADERS.sequence)).toBe("1");
  expect(letter!.headers?.get(DLQ_HEADERS.reason)).toContain("unknown model");
});

test("with two price calculators the pricer spreads its calls over both, carries on through one's SIGKILL, and uses it again once it is back", async () => {
  const ports = [await freePort(), await freePort()];
  const startPricing = async (i: number) => {
    const app = await startApp(join(root, "apps/pricing/src/main.ts"), { NATS_URL: nats.url, PRICING_PORT: String(ports[i]), PRICING_HTTP_PORT: String(await freePort()) });
    apps.push(app);
    return app;
  };
  const pricing = [await startPricing(0), await startPricing(1)];
  // The pricer sends GetPrices batches (at most PRICER_CONCURRENCY cars each); each call's line names its cars' traces.
  const batches = (app: AppProcess) => app.logs.filter((l) => l.msg === "rpc" && l.rpc === "forecourt.pricing.v1.PriceCalculatorService/GetPrices" && l.code === "ok");
  const answered = (app: AppProcess) => batches(app).reduce((sum, l) => sum + (l.traceIds as string[]).length, 0);
  const pricer = await startPricer({ PRICING_URL: ports.map((p) => `http://127.0.0.1:${p}`).join(","), PRICER_RETRY_INITIAL_MS: "100", PRICER_RETRY_MAX_MS: "500" });

  await publishListed(Array.from({ length: 100 }, (_, i) => car(i)));
  await waitFor(async () => (await countPriced()) >= 100, { timeoutMs: 20_000, what: "100 priced events" });
  await waitFor(() => answered(pricing[0]!) + answered(pricing[1]!) >= 100, { what: "every call logged" });
  // Round-robin: the batches alternate, so the two took turns.
  expect(Math.abs(batches(pricing[0]!).length - batches(pricing[1]!).length)).toBeLessThanOrEqual(1);
  for (const app of pricing) expect(answered(app)).toBeGreaterThan(0);

  await pricing[0]!.kill("SIGKILL");
  await publishListed(Array.from({ length: 100 }, (_, i) => car(100 + i)));
  await waitFor(async () => (await countPriced()) >= 200, { timeoutMs: 20_000, what: "200 priced events" });
  expect(pricer.logs.some((l) => l.msg === "price calculator down" && l.url === `http://127.0.0.1:${ports[0]}`)).toBe(true);

  const back = await startPricing(0);
  await pricer.waitForLog((l) => l.msg === "price calculator up" && l.url === `http://127.0.0.1:${ports[0]}`, 10_000);
  await publishListed(Array.from({ length: 100 }, (_, i) => car(200 + i)));
  await waitFor(async () => (await countPriced()) >= 300, { timeoutMs: 20_000, what: "300 priced events" });
  // 100 cars are at least four batches of 32: the restarted calculator gets every other one.
  await waitFor(() => batches(back).length >= 2, { what: "the restarted calculator to take its share" });

  const priced = await pricedEvents();
  expect(priced).toHaveLength(300);
  expect(new Set(priced.map((p) => p.registration)).size).toBe(300);
  expect(await countDead()).toBe(0);
}, 60_000);
