/**
 * The whole pipeline as processes (own nats-server, free ports), exporting spans to an in-test OTLP/HTTP
 * receiver: every app's /metrics is valid exposition and moves with traffic, and one car's POST makes one
 * trace whose tree runs api → pricer → pricing → priced event → api, audit-log and web.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  freePort,
  sampleSum,
  scrape,
  SPAN_KIND,
  startApp,
  startNatsServer,
  startOtlpReceiver,
  traceIdOf,
  waitFor,
  type AppProcess,
  type Exposition,
  type OtlpReceiver,
  type ReceivedSpan,
  type TestNatsServer,
} from "@forecourt/shared/testing";
import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { DealerStore, openDealersBucket } from "../apps/api/src/dealers/dealer-store.ts";

const root = join(import.meta.dir, "..");
let nats: TestNatsServer;
let receiver: OtlpReceiver;
let dir: string;
const apps: Record<string, AppProcess> = {};
const metricsUrls: Record<string, string> = {};
let apiUrl: string;
let dealerKey: string;
let socket: WebSocket;
const frames: { type: string; event?: string; vehicle?: { registration: string } }[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  receiver = startOtlpReceiver();
  dir = mkdtempSync(join(tmpdir(), "forecourt-observability-"));
  const ports = { api: await freePort(), web: await freePort(), pricing: await freePort(), pricingHttp: await freePort() };
  const env = {
    NATS_URL: nats.url,
    API_PORT: String(ports.api),
    WEB_PORT: String(ports.web),
    PRICING_PORT: String(ports.pricing),
    PRICING_HTTP_PORT: String(ports.pricingHttp),
    DEMO_VEHICLES: "0",
    AUDIT_LOG_PATH: join(dir, "audit.jsonl"),
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_BSP_SCHEDULE_DELAY: "100",
  };
  for (const name of ["pricing", "api", "pricer", "audit-log", "web"]) apps[name] = await startApp(join(root, `apps/${name}/src/main.ts`), env);
  apiUrl = `http://127.0.0.1:${ports.api}`;
  const nc = await connect({ servers: nats.url });
  dealerKey = await new DealerStore(await openDealersBucket(jetstream(nc))).add("observer");
  await nc.close();
  Object.assign(metricsUrls, {
    api: `${apiUrl}/metrics`,
    web: `http://127.0.0.1:${ports.web}/metrics`,
    pricing: `http://127.0.0.1:${ports.pricingHttp}/metrics`,
    pricer: String(apps.pricer!.logs.find((l) => l.msg === "ready")!.metrics),
    "audit-log": String(apps["audit-log"]!.logs.find((l) => l.msg === "ready")!.metrics),
  });
  socket = new WebSocket(`ws://127.0.0.1:${ports.web}/ws`);
  socket.onmessage = (e) => frames.push(JSON.parse(String(e.data)));
  await new Promise((resolve) => (socket.onopen = resolve));
  socket.send(JSON.stringify({ type: "subscribe", manufacturer: null, after: null }));
  await waitFor(() => frames.some((f) => f.type === "subscribed"), { what: "the live feed's subscribed frame" });
}, 90_000);

afterAll(async () => {
  socket?.close();
  for (const app of Object.values(apps).reverse()) await app.kill();
  receiver?.stop();
  await nats?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let cars = 0;
/** The one place a test lists a car through the API. */
async function postCar(headers: Record<string, string> = {}): Promise<{ registration: string; response: Response }> {
  const registration = `OB${String(++cars).padStart(2, "0")}SRV`;
  const response = await fetch(`${apiUrl}/api/vehicles`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${dealerKey}`, ...headers },
    body: JSON.stringify({ registration, modelCode: "ford-fiesta", color: "Blue", year: 2019 }),
  });
  expect(response.status).toBe(201);
  return { registration, response };
}

/** The live page saw the car's price: every app downstream has done its part. */
const pricedOnPage = (registration: string) =>
  waitFor(() => frames.some((f) => f.type === "vehicle" && f.event === "priced" && f.vehicle?.registration === registration), { timeoutMs: 20_000, what: `${registration} priced on the live feed` });

async function scrapeAll(): Promise<Record<string, Exposition>> {
  const entries = await Promise.all(Object.entries(metricsUrls).map(async ([name, url]) => [name, await scrape(url)] as const));
  return Object.fromEntries(entries);
}

/** The counters one car moves, read from each app's own /metrics. */
function pipelineCounters(m: Record<string, Exposition>) {
  return {
    posted: sampleSum(m.api!, "forecourt_http_requests_total", { method: "POST", route: "/api/vehicles", status: "201" }),
    postedTimed: sampleSum(m.api!, "forecourt_http_request_duration_seconds_count", { method: "POST", route: "/api/vehicles", status: "201" }),
    priced: sampleSum(m.pricer!, "forecourt_consumer_processed_total", { consumer: "pricer" }),
    // The pricer asks for the cars it handles at once in one GetPrices call: one car, one call.
    rpcOk: sampleSum(m.pricing!, "forecourt_rpc_requests_total", { method: "GetPrices", code: "OK" }),
    pricesRecorded: sampleSum(m.api!, "forecourt_consumer_processed_total", { consumer: "api-prices" }),
    audited: sampleSum(m["audit-log"]!, "forecourt_consumer_processed_total", { consumer: "audit-log" }),
    relayed: sampleSum(m.web!, "forecourt_ws_frames_relayed_total"),
  };
}

test("every app's /metrics is valid Prometheus exposition, and one car moves the route, consumer, RPC and relay counters", async () => {
  const before = await scrapeAll();
  for (const [name, exposition] of Object.entries(before)) {
    expect(exposition.types.get("process_cpu_seconds_total"), name).toBe("counter");
  }
  expect(before.web!.types.get("forecourt_ws_sockets_open")).toBe("gauge");
  expect(sampleSum(before.web!, "forecourt_ws_sockets_open")).toBe(1);
  expect(before.pricer!.types.get("forecourt_consumer_pending")).toBe("gauge");

  const { registration } = await postCar();
  await pricedOnPage(registration);
  const was = pipelineCounters(before);
  const expected = { posted: was.posted + 1, postedTimed: was.postedTimed + 1, priced: was.priced + 1, rpcOk: was.rpcOk + 1, pricesRecorded: was.pricesRecorded + 1, audited: was.audited + 2, relayed: was.relayed + 2 };
  // The api-prices consumer and the audit log may still be acking when the page has the price.
  let now = was;
  await waitFor(async () => JSON.stringify((now = pipelineCounters(await scrapeAll()))) === JSON.stringify(expected), { what: () => `counters ${JSON.stringify(now)} to reach ${JSON.stringify(expected)}` });
  expect(now).toEqual(expected);
}, 60_000);

test("one car's POST makes one trace: api → pricer → pricing → priced event → api, audit-log and web, every parent linked", async () => {
  const { registration, response } = await postCar();
  const traceId = traceIdOf(response.headers.get("traceparent"))!;
  expect(traceId).toBeDefined();
  await pricedOnPage(registration);

  const inTrace = () => receiver.spans.filter((s) => s.traceId === traceId);
  const find = (service: string, kind: number, name: string, spans = inTrace()) => spans.find((s) => s.service === service && s.kind === kind && s.name === name);
  const EXPECTED = 11;
  await waitFor(() => inTrace().length >= EXPECTED, { timeoutMs: 15_000, what: () => `${EXPECTED} spans in the trace (have: ${inTrace().map((s) => `${s.service}:${s.name}`).join(", ")})` });
  await Bun.sleep(300); // a stray extra span would arrive in the next batch
  const spans = inTrace();

  const post = find("api", SPAN_KIND.server, "POST /api/vehicles", spans)!;
  const listed = find("api", SPAN_KIND.producer, "publish forecourt.vehicles.listed", spans)!;
  const pricerConsumer = find("pricer", SPAN_KIND.consumer, "process pricer", spans)!;
  // The car's own part of a GetPrices call: a CLIENT span per car in the pricer, a SERVER span per car in pricing.
  const call = find("pricer", SPAN_KIND.client, "forecourt.pricing.v1.PriceCalculatorService/GetPrices", spans)!;
  const served = find("pricing", SPAN_KIND.server, "forecourt.pricing.v1.PriceCalculatorService/GetPrices", spans)!;
  const priced = find("pricer", SPAN_KIND.producer, "publish forecourt.vehicles.priced", spans)!;
  const recorded = find("api", SPAN_KIND.consumer, "process api-prices", spans)!;
  const audited = spans.filter((s) => s.service === "audit-log" && s.kind === SPAN_KIND.consumer && s.name === "process audit-log");
  const relayedListed = find("web", SPAN_KIND.consumer, "relay forecourt.vehicles.listed", spans)!;
  const relayedPriced = find("web", SPAN_KIND.consumer, "relay forecourt.vehicles.priced", spans)!;

  const parentOf = (child: ReceivedSpan | undefined) => child?.parentSpanId;
  expect(post.parentSpanId).toBe("");
  expect(response.headers.get("traceparent")).toBe(`00-${traceId}-${post.spanId}-01`);
  expect(parentOf(listed)).toBe(post.spanId);
  expect(parentOf(pricerConsumer)).toBe(listed.spanId);
  expect(parentOf(call)).toBe(pricerConsumer.spanId);
  expect(parentOf(served)).toBe(call.spanId);
  expect(parentOf(priced)).toBe(pricerConsumer.spanId);
  expect(parentOf(recorded)).toBe(priced.spanId);
  expect(audited.map((s) => s.parentSpanId).sort()).toEqual([listed.spanId, priced.spanId].sort());
  expect(parentOf(relayedListed)).toBe(listed.spanId);
  expect(parentOf(relayedPriced)).toBe(priced.spanId);
  expect(listed.attributes["messaging.destination.name"]).toBe("forecourt.vehicles.listed.ford.ford-fiesta.local");

  // The price recorder never races the outbox for a car: when the priced event arrives while the listed event is
  // still owed, it is retried a moment later, and each attempt is its own consumer span under the priced event.
  const recordings = spans.filter((s) => s.service === "api" && s.kind === SPAN_KIND.consumer && s.name === "process api-prices");
  for (const attempt of recordings) expect(parentOf(attempt)).toBe(priced.spanId);

  // One tree: a single root, and every other span's parent is in the trace.
  expect(spans).toHaveLength(EXPECTED + recordings.length - 1);
  const ids = new Set(spans.map((s) => s.spanId));
  expect(spans.filter((s) => s.parentSpanId === "")).toEqual([post]);
  for (const s of spans) if (s !== post) expect(ids.has(s.parentSpanId), `${s.service}:${s.name}`).toBe(true);

  // Logs keep the trace id and add the span they were written in.
  const pricedLine = await apps.pricer!.waitForLog((l) => l.msg === "vehicle priced" && l.registration === registration);
  expect(pricedLine).toMatchObject({ traceId, spanId: pricerConsumer.spanId });
  // The call's one summary line serves every car in it, so it names each car's trace.
  const rpcLine = await apps.pricing!.waitForLog((l) => l.msg === "rpc" && Array.isArray(l.traceIds) && l.traceIds.includes(traceId));
  expect(rpcLine.rpc).toBe("forecourt.pricing.v1.PriceCalculatorService/GetPrices");
}, 60_000);
