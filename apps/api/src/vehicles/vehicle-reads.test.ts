import { expect, test } from "bun:test";
import type { KvEntry } from "@nats-io/kv";
import { VehicleNotFoundError } from "./errors.ts";
import type { StoredVehicle } from "./stored-vehicle.ts";
import { VehicleIndex } from "./vehicle-index.ts";
import { VehicleReads } from "./vehicle-reads.ts";

const car = (registration: string, extra: Partial<StoredVehicle> = {}): StoredVehicle => ({
  registration,
  manufacturerCode: "ford",
  manufacturerName: "Ford",
  modelCode: "ford-fiesta",
  modelName: "Fiesta",
  color: "Blue",
  year: 2019,
  listedAt: "2026-01-01T00:00:00.000Z",
  ...extra,
});

/** A KV bucket that counts reads, and an index fed the same writes (as the watch feeds it). */
function bucket(caughtUp = true) {
  const values = new Map<string, { revision: number; vehicle: StoredVehicle }>();
  const index = new VehicleIndex();
  let revision = 0;
  let kvReads = 0;
  const kv = {
    get: async (key: string) => {
      kvReads++;
      const v = values.get(key);
      return v ? ({ key, revision: v.revision, operation: "PUT", json: () => structuredClone(v.vehicle) } as unknown as KvEntry) : null;
    },
  };
  const write = (vehicle: StoredVehicle) => {
    values.set(vehicle.registration, { revision: ++revision, vehicle });
    index.apply(vehicle.registration, revision, vehicle);
  };
  const reads = new VehicleReads({ kv, index, caughtUp: async () => caughtUp, capacity: 2 });
  return { reads, write, index, kvReads: () => kvReads };
}

test("a car read again at the same revision is answered from memory", async () => {
  const b = bucket();
  b.write(car("AB12CDE"));
  expect((await b.reads.get("AB12CDE")).color).toBe("Blue");
  expect((await b.reads.get("AB12CDE")).color).toBe("Blue");
  expect(b.kvReads()).toBe(1);
});

test("once the index knows a newer revision the read goes to KV and shows it", async () => {
  const b = bucket();
  b.write(car("AB12CDE"));
  await b.reads.get("AB12CDE");
  b.write(car("AB12CDE", { price: { amount: 4560, currencyCode: "GBP", pricedAt: "2026-01-01T00:00:01.000Z" } }));
  expect((await b.reads.get("AB12CDE")).price?.amount).toBe(4560);
  expect(b.kvReads()).toBe(2);
});

test("an unknown car, or one being removed, is not found without asking KV; an owed event is not shown", async () => {
  const b = bucket();
  expect(b.reads.get("NOPE1")).rejects.toBeInstanceOf(VehicleNotFoundError);
  b.write(car("GONE1", { removing: true } as Partial<StoredVehicle>));
  expect(b.reads.get("GONE1")).rejects.toBeInstanceOf(VehicleNotFoundError);
  await Bun.sleep(0);
  expect(b.kvReads()).toBe(0);
  b.write(car("OWED1", { pending: { kind: "listed", subject: "s", msgId: "m", traceparent: "t", body: {} } } as unknown as Partial<StoredVehicle>));
  expect(await b.reads.get("OWED1")).not.toHaveProperty("pending");
});

test("when the index cannot tell in time, every read goes to KV", async () => {
  const b = bucket(false);
  b.write(car("AB12CDE"));
  await b.reads.get("AB12CDE");
  await b.reads.get("AB12CDE");
  expect(b.kvReads()).toBe(2);
});

test("only the most recently read cars stay in memory", async () => {
  const b = bucket();
  for (const r of ["A1", "B2", "C3"]) b.write(car(r));
  for (const r of ["A1", "B2", "C3"]) await b.reads.get(r);
  expect(b.kvReads()).toBe(3);
  await b.reads.get("C3");
  await b.reads.get("B2");
  expect(b.kvReads()).toBe(3);
  await b.reads.get("A1");
  expect(b.kvReads()).toBe(4);
});
