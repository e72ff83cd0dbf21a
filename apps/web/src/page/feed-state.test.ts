import { expect, test } from "bun:test";
import type { RelayedVehicle } from "../protocol.ts";
import { FeedState } from "./feed-state.ts";

const car = (registration: string, extra: Partial<RelayedVehicle> = {}): RelayedVehicle => ({
  registration,
  manufacturerCode: "ford",
  manufacturerName: "Ford",
  modelCode: "ford-fiesta",
  modelName: "Fiesta",
  color: "Blue",
  year: 2015,
  listedAt: "2026-11-28T10:00:00.000Z",
  ...extra,
});

test("a car's row moves from listed to priced and keeps its place", () => {
  const state = new FeedState();
  expect(state.apply({ seq: 1, event: "listed", vehicle: car("AAA") })).toMatchObject({ applied: true, isNew: true });
  state.apply({ seq: 2, event: "listed", vehicle: car("BBB") });
  expect(state.apply({ seq: 3, event: "priced", vehicle: car("AAA", { price: 7450 }) })).toMatchObject({ applied: true, isNew: false });
  expect(state.cars.map((r) => [r.vehicle.registration, r.status, r.vehicle.price])).toEqual([
    ["BBB", "listed", undefined],
    ["AAA", "priced", 7450],
  ]);
});

test("a frame at or below the last sequence applied is a duplicate and changes nothing", () => {
  const state = new FeedState();
  state.apply({ seq: 5, event: "listed", vehicle: car("AAA") });
  expect(state.apply({ seq: 5, event: "listed", vehicle: car("AAA") })).toEqual({ applied: false });
  expect(state.apply({ seq: 4, event: "listed", vehicle: car("ZZZ") })).toEqual({ applied: false });
  expect(state.cars).toHaveLength(1);
});

test("an update keeps the price, a removal marks the row", () => {
  const state = new FeedState();
  state.apply({ seq: 1, event: "priced", vehicle: car("AAA", { price: 100 }) });
  state.apply({ seq: 2, event: "updated", vehicle: car("AAA", { color: "Red" }) });
  expect(state.cars[0]).toMatchObject({ status: "priced", vehicle: { color: "Red", price: 100 } });
  state.apply({ seq: 3, event: "removed", vehicle: car("AAA") });
  expect(state.cars[0]!.status).toBe("removed");
});

test("only the latest cars are kept, newest first", () => {
  const state = new FeedState(3);
  for (let i = 1; i <= 5; i++) state.apply({ seq: i, event: "listed", vehicle: car(`CAR${i}`) });
  expect(state.cars.map((r) => r.vehicle.registration)).toEqual(["CAR5", "CAR4", "CAR3"]);
});

test("reset forgets rows and sequence, for a new filter", () => {
  const state = new FeedState();
  state.apply({ seq: 9, event: "listed", vehicle: car("AAA") });
  state.reset();
  expect(state.cars).toHaveLength(0);
  expect(state.apply({ seq: 1, event: "listed", vehicle: car("BBB") }).applied).toBe(true);
});
