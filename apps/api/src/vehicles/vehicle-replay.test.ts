import { expect, test } from "bun:test";
import type { VehicleFields } from "@forecourt/shared/contracts";
import { replayEvent } from "./vehicle-replay.ts";

const car: VehicleFields = {
  registration: "AB12CDE",
  manufacturerCode: "ford",
  manufacturerName: "Ford",
  modelCode: "ford-fiesta",
  modelName: "Fiesta",
  color: "Red",
  year: 2019,
  listedAt: "2026-11-28T10:00:00.000Z",
};
const priced = (price: number, pricedAt: string, listedAt = car.listedAt) => ({ ...car, listedAt, price, currencyCode: "GBP", pricedAt, pricedBy: "local" });

test("a listed event stores the car as the API does, fields in the API's order", () => {
  const stored = replayEvent(undefined, "listed", { ...car, extra: "ignored" } as VehicleFields);
  expect(stored).toEqual(car);
  expect(Object.keys(stored!)).toEqual(["registration", "manufacturerCode", "manufacturerName", "modelCode", "modelName", "color", "year", "listedAt"]);
});

test("a priced event sets the price of the listing it was computed for, and only a newer one replaces it", () => {
  const listed = replayEvent(undefined, "listed", car);
  const first = replayEvent(listed, "priced", priced(7450, "2026-11-28T10:00:01.000Z"));
  expect(first?.price).toEqual({ amount: 7450, currencyCode: "GBP", pricedAt: "2026-11-28T10:00:01.000Z" });
  expect(replayEvent(first, "priced", priced(7000, "2026-11-28T10:00:00.500Z"))).toBe(first);
  expect(replayEvent(first, "priced", priced(7000, "2026-11-28T10:00:02.000Z"))?.price?.amount).toBe(7000);
  expect(replayEvent(listed, "priced", priced(9999, "2026-11-28T10:00:01.000Z", "2026-01-01T00:00:00.000Z"))).toBe(listed);
  expect(replayEvent(undefined, "priced", priced(9999, "2026-11-28T10:00:01.000Z"))).toBeUndefined();
});

test("an update keeps the price while model and year stay, drops it otherwise, and keeps the listing date", () => {
  const withPrice = replayEvent(replayEvent(undefined, "listed", car), "priced", priced(7450, "2026-11-28T10:00:01.000Z"));
  const recoloured = replayEvent(withPrice, "updated", { ...car, color: "Blue", updatedAt: "2026-11-28T11:00:00.000Z" });
  expect(recoloured).toEqual({ ...car, color: "Blue", updatedAt: "2026-11-28T11:00:00.000Z", price: withPrice!.price });
  const older = replayEvent(withPrice, "updated", { ...car, year: 2015, updatedAt: "2026-11-28T11:00:00.000Z" });
  expect(older?.price).toBeUndefined();
  expect(older?.listedAt).toBe(car.listedAt);
});

test("a removed event leaves nothing, and a later listing starts afresh", () => {
  const withPrice = replayEvent(replayEvent(undefined, "listed", car), "priced", priced(7450, "2026-11-28T10:00:01.000Z"));
  expect(replayEvent(withPrice, "removed", { ...car, removedAt: "2026-11-28T12:00:00.000Z" })).toBeUndefined();
  const relisted = replayEvent(undefined, "listed", { ...car, listedAt: "2026-11-29T09:00:00.000Z" });
  expect(relisted?.price).toBeUndefined();
});

test("the dealer an event names is kept, after the listing date as the API stores it; an event without one stores none", () => {
  const stored = replayEvent(undefined, "listed", { ...car, dealer: "autobarn" });
  expect(Object.keys(stored!)).toEqual(["registration", "manufacturerCode", "manufacturerName", "modelCode", "modelName", "color", "year", "listedAt", "dealer"]);
  expect(replayEvent(stored, "updated", { ...car, dealer: "autobarn", color: "Blue", updatedAt: "2026-11-28T11:00:00.000Z" })?.dealer).toBe("autobarn");
  expect(replayEvent(undefined, "listed", car)).not.toHaveProperty("dealer");
});
