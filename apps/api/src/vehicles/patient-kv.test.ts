import { expect, test } from "bun:test";
import { NoRespondersError, RequestError, TimeoutError } from "@nats-io/transport-node";
import type { KV } from "@nats-io/kv";
import { patientKv, retryWhileNoResponders } from "./patient-kv.ts";

const noResponders = () => new Error("jetstream is not enabled", { cause: new RequestError("no responders", { cause: new NoRespondersError("$KV.vehicles.A1") }) });
const noSleep = async () => {};

test("a write nobody answered is tried again until it lands", async () => {
  let calls = 0;
  const result = await retryWhileNoResponders(async () => {
    if (++calls < 4) throw noResponders();
    return 7;
  }, 5_000, noSleep);
  expect([result, calls]).toEqual([7, 4]);
});

test("a timeout is not retried (the write may have landed), nor is any other error", async () => {
  for (const error of [new TimeoutError(), new Error("wrong last sequence")]) {
    let calls = 0;
    const failed = await retryWhileNoResponders(async () => {
      calls++;
      throw error;
    }, 5_000, noSleep).catch((e: unknown) => e);
    expect([failed, calls]).toEqual([error, 1]);
  }
});

test("past the budget the last error goes to the caller", async () => {
  let calls = 0;
  const started = Date.now();
  const failed = await retryWhileNoResponders(async () => {
    calls++;
    throw noResponders();
  }, 200).catch((e: unknown) => e);
  expect((failed as Error).message).toBe("jetstream is not enabled");
  expect(calls).toBeGreaterThan(1);
  expect(Date.now() - started).toBeLessThan(400);
});

test("the patient bucket retries writes only and passes everything else straight through", async () => {
  const calls: string[] = [];
  let fail = 2;
  const kv = {
    bucket: "vehicles",
    async create(key: string) {
      calls.push(`create ${key}`);
      if (fail-- > 0) throw noResponders();
      return 1;
    },
    async get(key: string) {
      calls.push(`get ${key}`);
      throw noResponders();
    },
  } as unknown as KV;
  const patient = patientKv(kv, 5_000);
  expect(await patient.create("A1", new Uint8Array())).toBe(1);
  expect(await patient.get("A1").catch(() => "failed")).toBe("failed");
  expect((patient as unknown as { bucket: string }).bucket).toBe("vehicles");
  expect(calls).toEqual(["create A1", "create A1", "create A1", "get A1"]);
});
