import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { BUCKETS, DEFAULT_PARTICIPANT, encodeEvent, STREAMS, vehicleSubject, type VehicleFields } from "@forecourt/shared/contracts";
import { readBucket, startNatsServer, waitFor, type TestNatsServer } from "@forecourt/shared/testing";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { startTestApi, type TestApi } from "../apps/api/src/test-support.ts";

const REBUILD = join(import.meta.dir, "rebuild.ts");

let nats: TestNatsServer;
let api: TestApi;
const logs: string[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  api = await startTestApi(nats.url, logs);
});
afterAll(async () => {
  await api?.close();
  await nats?.dispose();
});

async function rebuild(...args: string[]) {
  const proc = Bun.spawn(["bun", REBUILD, ...args], { env: { ...process.env, NATS_URL: nats.url }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

const decoder = new TextDecoder();
async function contents(): Promise<Map<string, unknown>> {
  const entries = await readBucket(jetstream(api.nc), BUCKETS.vehicles);
  return new Map([...entries].map(([key, value]) => [key, JSON.parse(decoder.decode(value))]));
}

const car = (i: number) => ({ registration: `RB${String(i).padStart(3, "0")}`, modelCode: i % 2 ? "ford-fiesta" : "tesla-model-3", color: "Red", year: 2015 + (i % 8) });

/** Prices a car as the pricer would: a priced event for its current listing. */
async function price(registration: string, amount: number) {
  const stored = (await (await api.request("GET", `/api/vehicles/${registration}`)).json()) as VehicleFields;
  const body = { ...stored, price: amount, currencyCode: "GBP", pricedAt: new Date().toISOString(), pricedBy: DEFAULT_PARTICIPANT };
  await jetstream(api.nc).publish(vehicleSubject("priced", stored.manufacturerCode, stored.modelCode, DEFAULT_PARTICIPANT), encodeEvent("priced", body), { msgID: `priced:${registration}:${stored.listedAt}` });
}

test("the vehicles bucket deleted is rebuilt from the events to the same content, key by key, and a second run writes nothing; the running API goes not ready and recovers without restart", async () => {
  for (let i = 0; i < 40; i++) expect((await api.request("POST", "/api/vehicles", car(i))).status).toBe(201);
  for (let i = 0; i < 40; i++) await price(car(i).registration, 5_000 + i * 10);
  await waitFor(async () => [...(await contents()).values()].filter((v) => (v as { price?: unknown }).price).length === 40, { what: "40 prices recorded" });
  // Recoloured (price kept), re-aged (price dropped), removed, removed and listed again (price of the new listing).
  for (let i = 0; i < 5; i++) expect((await api.request("PUT", `/api/vehicles/${car(i).registration}`, { ...car(i), color: "Blue" })).status).toBe(200);
  for (let i = 5; i < 8; i++) expect((await api.request("PUT", `/api/vehicles/${car(i).registration}`, { ...car(i), year: 2010 })).status).toBe(200);
  for (let i = 8; i < 14; i++) expect((await api.request("DELETE", `/api/vehicles/${car(i).registration}`)).status).toBe(204);
  for (let i = 12; i < 14; i++) expect((await api.request("POST", "/api/vehicles", { ...car(i), color: "Green" })).status).toBe(201);
  await price(car(12).registration, 4_242);
  await waitFor(async () => ((await contents()).get(car(12).registration) as { price?: { amount: number } }).price?.amount === 4_242, { what: "the relisted car's price" });
  const before = await contents();
  expect(before.size).toBe(40 - 4);
  const eventsBefore = (await (await jetstreamManager(api.nc)).streams.info(STREAMS.vehicles.name)).state.messages;
  expect([...before.values()].some((v) => "pending" in (v as object))).toBe(false);

  // In a workshop VEHICLES also holds other participants' events, sourced from the hub: not this bucket's cars.
  const jsm = await jetstreamManager(api.nc);
  await jsm.streams.add({ name: "ALICE", subjects: [vehicleSubject("listed", "ford", "ford-fiesta", "alice")] });
  await jetstream(api.nc).publish(vehicleSubject("listed", "ford", "ford-fiesta", "alice"), encodeEvent("listed", { ...(before.values().next().value as VehicleFields), registration: "AL1CE" }));
  const { config: vehiclesConfig } = await jsm.streams.info(STREAMS.vehicles.name);
  await jsm.streams.update(STREAMS.vehicles.name, { ...vehiclesConfig, sources: [{ name: "ALICE" }] });
  await waitFor(async () => (await jsm.streams.info(STREAMS.vehicles.name)).state.messages === eventsBefore + 1, { what: "alice's event sourced into VEHICLES" });

  await jsm.streams.delete(`KV_${BUCKETS.vehicles}`);
  const down = await waitFor(async () => {
    const res = await api.request("GET", "/health/ready");
    return res.status === 503 ? res.json() : undefined;
  }, { timeoutMs: 10_000, what: "the API to say it is not ready" });
  expect(down.checks["bucket vehicles"]).toBe("failing");
  expect(down.reasons["bucket vehicles"]).toContain("bun run rebuild vehicles");
  const refused = await api.request("GET", `/api/vehicles/${car(20).registration}`);
  expect(refused.status).toBe(503);
  expect((await refused.json()).detail).toContain("KV bucket vehicles is missing");
  expect(logs.some((line) => line.includes('"msg":"dependency unavailable"') && line.includes("bucket vehicles"))).toBe(true);

  const first = await rebuild("vehicles");
  expect(first.stderr).toContain("reading events [");
  expect(first.stderr).toContain("writing vehicles [");
  expect(first.stdout).toContain(`36 written, 0 deleted, 4 already right, 0 events skipped (1 events of other participants left out)`);
  expect(first.code).toBe(0);
  const after = await contents();
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  for (const [key, value] of before) expect([key, after.get(key)]).toEqual([key, value]);

  const second = await rebuild("vehicles");
  expect(second.stdout).toContain("0 written, 0 deleted, 40 already right");
  expect(second.code).toBe(0);

  await waitFor(async () => (await api.request("GET", "/health/ready")).status === 200, { timeoutMs: 15_000, what: "the API to be ready again" });
  const list = await (await api.request("GET", "/api/vehicles?count=100")).json();
  expect(list.total).toBe(36);
  expect((await api.request("GET", `/api/vehicles/${car(20).registration}`)).status).toBe(200);
  expect((await api.request("POST", "/api/vehicles", car(99))).status).toBe(201);
  expect(logs.some((line) => line.includes('"msg":"dependency restored"') && line.includes("bucket vehicles"))).toBe(true);
}, 90_000);

test("bad arguments and an unreachable NATS are one line each", async () => {
  const usage = await rebuild("catalog");
  expect(usage.code).toBe(2);
  expect(usage.stderr.trim().split("\n")).toHaveLength(1);
  expect(usage.stderr).toStartWith('rebuild: cannot rebuild "catalog"');
  const proc = Bun.spawn(["bun", REBUILD, "vehicles"], { env: { ...process.env, NATS_URL: "nats://127.0.0.1:1" }, stdout: "pipe", stderr: "pipe" });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  expect(code).toBe(1);
  expect(stderr.trim().split("\n")).toHaveLength(1);
  expect(stderr).toStartWith("rebuild: cannot reach NATS at nats://127.0.0.1:1");
}, 30_000);
