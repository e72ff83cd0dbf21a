import { afterEach, describe, expect, spyOn, test } from "bun:test";
import { VehicleNotOwnedError } from "./errors.ts";
import { ownerOf } from "./stored-vehicle.ts";
import { decodeVehicle } from "./vehicle-codec.ts";
import { memoryStore } from "./testing/vehicle-fixtures.ts";

const input = { registration: "AB12CDE", modelCode: "ford-fiesta", color: "Red", year: 2019 };

/** Serialisations of the car itself: JSON.stringify of an object carrying its registration, and encodes of such text. */
function countSerialisations() {
  const stringify = spyOn(JSON, "stringify");
  const encode = spyOn(TextEncoder.prototype, "encode");
  return {
    get stringified() {
      return stringify.mock.calls.filter(([value]) => (value as { registration?: string } | null)?.registration === input.registration).length;
    },
    get encoded() {
      return encode.mock.calls.filter(([value]) => value?.includes(`"registration":"${input.registration}"`)).length;
    },
    restore() {
      stringify.mockRestore();
      encode.mockRestore();
    },
  };
}

let counts: ReturnType<typeof countSerialisations> | undefined;
afterEach(() => counts?.restore());

describe("one serialisation per write", () => {
  test("a create stringifies and encodes the car once for its KV write, event and cleared marker", async () => {
    const { store, published, kv } = memoryStore();
    counts = countSerialisations();
    await store.create(input, "autobarn");
    expect({ stringified: counts.stringified, encoded: counts.encoded }).toEqual({ stringified: 1, encoded: 1 });
    expect(published).toHaveLength(1);
    expect(decodeVehicle((await kv.get(input.registration))!.value).pending).toBeUndefined();
  });

  test("replacing an unpriced car serialises it once; a priced one twice, because its event body leaves the price out", async () => {
    const { store } = memoryStore();
    const created = await store.create(input, "autobarn");
    counts = countSerialisations();
    await store.replace({ ...input, color: "Blue" }, "autobarn");
    expect(counts.stringified).toBe(1);
    await store.recordPrice(input.registration, created.listedAt, { amount: 7450, currencyCode: "GBP", pricedAt: new Date().toISOString() });
    counts.restore();
    counts = countSerialisations();
    await store.replace({ ...input, color: "Green" }, "autobarn");
    expect(counts.stringified).toBe(2);
  });

  test("recording a price serialises the car once", async () => {
    const { store } = memoryStore();
    const created = await store.create(input, "autobarn");
    counts = countSerialisations();
    expect(await store.recordPrice(input.registration, created.listedAt, { amount: 7450, currencyCode: "GBP", pricedAt: new Date().toISOString() })).toBe("recorded");
    expect({ stringified: counts.stringified, encoded: counts.encoded }).toEqual({ stringified: 1, encoded: 1 });
  });
});

describe("vehicle store over its outbox", () => {
  test("a create publishes the listing with the stored body and the change's Nats-Msg-Id, then clears the marker", async () => {
    const { store, published, kv, outbox } = memoryStore();
    const vehicle = await store.create(input, "autobarn");
    expect(published.map((p) => p.event.subject)).toEqual(["forecourt.vehicles.listed.ford.ford-fiesta.local"]);
    expect(JSON.parse(published[0]!.body)).toEqual(vehicle);
    expect(decodeVehicle((await kv.get(input.registration))!.value)).toEqual(vehicle);
    expect(outbox.size).toBe(0);
  });

  test("a price for a car that still owes its event waits (a retryable error), and is recorded once the outbox clears the marker", async () => {
    const { store, kv, outbox, nats } = memoryStore();
    nats.down = true;
    const created = await store.create(input, "autobarn");
    const price = { amount: 7450, currencyCode: "GBP", pricedAt: new Date().toISOString() };
    await expect(store.recordPrice(input.registration, created.listedAt, price)).rejects.toThrow("AB12CDE still owes its listed event");
    expect(decodeVehicle((await kv.get(input.registration))!.value).price).toBeUndefined();
    nats.down = false;
    await outbox.sweep(0);
    expect(await store.recordPrice(input.registration, created.listedAt, price)).toBe("recorded");
    const stored = decodeVehicle((await kv.get(input.registration))!.value);
    expect([stored.price?.amount, stored.pending]).toEqual([7450, undefined]);
  });

  test("a second create of one registration is refused and publishes nothing more", async () => {
    const { store, published } = memoryStore();
    await store.create(input, "autobarn");
    await expect(store.create(input, "autobarn")).rejects.toThrow("AB12CDE");
    expect(published).toHaveLength(1);
  });
});

describe("ownership", () => {
  test("only the dealer who listed a car may replace or remove it; another is refused before anything is written", async () => {
    const { store, published } = memoryStore();
    await store.create(input, "autobarn");
    await expect(store.replace({ ...input, color: "Blue" }, "rival")).rejects.toBeInstanceOf(VehicleNotOwnedError);
    await expect(store.remove(input.registration, "rival")).rejects.toBeInstanceOf(VehicleNotOwnedError);
    expect(published).toHaveLength(1);
    expect((await store.get(input.registration)).color).toBe("Red");
    expect((await store.replace({ ...input, color: "Blue" }, "autobarn")).vehicle).toMatchObject({ color: "Blue", dealer: "autobarn" });
    await store.remove(input.registration, "autobarn");
    expect(published.map((p) => p.event.kind)).toEqual(["listed", "updated", "removed"]);
  });

  test("a car stored before dealers existed belongs to demo", async () => {
    expect(ownerOf({})).toBe("demo");
    expect(ownerOf({ dealer: "autobarn" })).toBe("autobarn");
  });
});
