import { describe, expect, test } from "bun:test";
import { encodeEvent } from "@forecourt/shared/contracts";
import { listedVehicle, removingVehicle, updatedVehicle, withoutPending, type ChangeContext, type OwingVehicle } from "./stored-vehicle.ts";
import { decodeVehicle, encodeChange, encodeVehicle } from "./vehicle-codec.ts";

const fiesta = { code: "ford-fiesta", manufacturerCode: "ford", name: "Fiesta", basePrice: 19_500 };
const ford = { code: "ford", name: "Ford" };
const ctx = (at: string, msgId: string): ChangeContext => ({ now: new Date(at), msgId, traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", origin: "local" });
const input = { registration: "AB12CDE", modelCode: "ford-fiesta", color: 'Red "metallic", ünïcode', year: 2019 };
const listed = listedVehicle(input, fiesta, ford, "autobarn", ctx("2026-01-01T00:00:00Z", "m1"));
const priced = { ...withoutPending(listed), price: { amount: 7450, currencyCode: "GBP", pricedAt: "2026-01-01T00:00:01Z" } };
const changes: [string, OwingVehicle][] = [
  ["a listing", listed],
  ["an update of an unpriced car", updatedVehicle(withoutPending(listed), { ...input, color: "Blue" }, fiesta, ford, ctx("2026-01-02T00:00:00Z", "m2"))],
  ["an update keeping its price", updatedVehicle(priced, { ...input, color: "Blue" }, fiesta, ford, ctx("2026-01-02T00:00:00Z", "m3"))],
  ["a removal", removingVehicle(priced, ctx("2026-01-03T00:00:00Z", "m4"))],
];
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("encodeChange", () => {
  for (const [name, vehicle] of changes) {
    test(`${name}: the stored value reads back as the car with its marker, the settled one as the car without`, () => {
      const change = encodeChange(vehicle);
      expect(decodeVehicle(change.stored)).toEqual(vehicle);
      expect(change.settled).toEqual(encodeVehicle(withoutPending(vehicle)));
    });

    test(`${name}: the event is the body exactly as encodeEvent publishes it`, () => {
      expect(text(encodeChange(vehicle).event)).toBe(text(encodeEvent(vehicle.pending.kind, vehicle.pending.body)));
    });
  }

  test("a listing's event and settled value are one and the same bytes, serialised once", () => {
    const change = encodeChange(listed);
    expect(change.event).toBe(change.settled);
  });

  test("a body that differs from the settled value (a priced car's update) gets its own bytes", () => {
    const change = encodeChange(changes[2]![1]);
    expect(change.event).not.toBe(change.settled);
    expect(decodeVehicle(change.event)).not.toHaveProperty("price");
  });
});
