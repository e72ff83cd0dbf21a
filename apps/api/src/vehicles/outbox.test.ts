import { describe, expect, test } from "bun:test";
import type { CrashPoint } from "./outbox.ts";
import { decodeVehicle, encodeChange, encodeVehicle, readVehicle } from "./vehicle-codec.ts";
import { listedVehicle } from "./stored-vehicle.ts";
import { memoryStore, seedCatalog } from "./testing/vehicle-fixtures.ts";

const input = { registration: "OB01ABC", modelCode: "ford-fiesta", color: "Red", year: 2019 };

/** A marker as another instance leaves it when it dies right after its KV write. */
function leftByDeadInstance(msgId: string) {
  const vehicle = listedVehicle(input, seedCatalog.model("ford-fiesta")!, seedCatalog.manufacturer("ford")!, "autobarn", { now: new Date("2026-01-01T00:00:00Z"), msgId, traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", origin: "local" });
  return { vehicle, change: encodeChange(vehicle) };
}

const stored = async (kv: ReturnType<typeof memoryStore>["kv"]) => decodeVehicle((await kv.get(input.registration))!.value);

describe("outbox", () => {
  test("a publish NATS refuses leaves the event owed; the sweep publishes it once NATS is back and clears the marker", async () => {
    const { store, outbox, published, nats, kv } = memoryStore();
    nats.down = true;
    await store.create(input, "autobarn");
    expect(outbox.has(input.registration)).toBe(true);
    expect((await stored(kv)).pending?.kind).toBe("listed");
    expect(await outbox.sweep(0)).toBe(0);
    nats.down = false;
    expect(await outbox.sweep(0)).toBe(1);
    expect(published.map((p) => p.event.kind)).toEqual(["listed"]);
    expect((await stored(kv)).pending).toBeUndefined();
    expect(outbox.size).toBe(0);
  });

  test("a marker the bucket shows, left by a dead instance, is published by the sweep with that instance's Nats-Msg-Id", async () => {
    const { outbox, published, kv } = memoryStore();
    const { change } = leftByDeadInstance("dead-1");
    const revision = await kv.create(input.registration, change.stored);
    outbox.observe(input.registration, revision, decodeVehicle(change.stored));
    expect(await outbox.sweep(0)).toBe(1);
    expect(published.map((p) => p.event.msgId)).toEqual(["dead-1"]);
    expect((await stored(kv)).pending).toBeUndefined();
  });

  test("the sweep waits for an event owed for less than its age limit", async () => {
    const { outbox, published, kv } = memoryStore();
    const { change } = leftByDeadInstance("dead-2");
    outbox.observe(input.registration, await kv.create(input.registration, change.stored), decodeVehicle(change.stored));
    expect(await outbox.sweep(60_000)).toBe(0);
    expect(published).toHaveLength(0);
  });

  test("a marker cleared elsewhere since it was seen is forgotten without publishing", async () => {
    const { outbox, published, kv } = memoryStore();
    const { vehicle, change } = leftByDeadInstance("dead-3");
    const revision = await kv.create(input.registration, change.stored);
    outbox.observe(input.registration, revision, vehicle);
    await kv.update(input.registration, change.settled, revision);
    expect(await outbox.sweep(0)).toBe(0);
    expect(published).toHaveLength(0);
    expect(outbox.size).toBe(0);
  });

  test("an older revision seen late does not forget a newer owed event", async () => {
    const { store, outbox, nats, revision } = memoryStore();
    nats.down = true;
    await store.create(input, "autobarn");
    const owing = revision(input.registration)!;
    outbox.observe(input.registration, owing - 1, undefined);
    expect(outbox.has(input.registration)).toBe(true);
    outbox.observe(input.registration, owing + 1, undefined);
    expect(outbox.has(input.registration)).toBe(false);
  });

  test("a price recorded between publish and clear survives: the marker is cleared on the newer revision", async () => {
    const { store, kv } = memoryStore({
      // Another instance records the price while the listing is being published; the marker is still in the value.
      onPublish: async () => {
        const current = (await readVehicle(kv, input.registration))!;
        await kv.update(input.registration, encodeVehicle({ ...current.vehicle, price: { amount: 7450, currencyCode: "GBP", pricedAt: "2026-01-01T00:00:01Z" } }), current.revision);
      },
    });
    await store.create(input, "autobarn");
    const after = await stored(kv);
    expect(after.price?.amount).toBe(7450);
    expect(after.pending).toBeUndefined();
  });

  test("the crash points come in order: after the KV write, then after the publish", async () => {
    const points: CrashPoint[] = [];
    const { store } = memoryStore({ crash: (point) => void points.push(point) });
    await store.create(input, "autobarn");
    expect(points).toEqual(["vehicle-write", "event-publish"]);
  });
});
