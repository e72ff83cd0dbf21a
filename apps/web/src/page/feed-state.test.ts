import { expect, test } from "bun:test";
import { FeedState } from "./feed-state.ts";
import type { CarFields } from "./frame-guard.ts";

const car = (registration: string, extra: Partial<CarFields> = {}): CarFields => ({
  registration,
  manufacturerCode: "ford",
  manufacturerName: "Ford",
  modelCode: "ford-fiesta",
  modelName: "Fiesta",
  color: "Blue",
  year: 2015,
  ...extra,
});

test("a car's row moves from listed to priced and keeps its place", () => {
  const state = new FeedState();
  expect(state.apply({ seq: 1, event: "listed", car: car("AAA") })).toMatchObject({ applied: true, isNew: true });
  state.apply({ seq: 2, event: "listed", car: car("BBB") });
  expect(state.apply({ seq: 3, event: "priced", car: car("AAA", { price: 7450, currencyCode: "GBP" }) })).toMatchObject({ applied: true, isNew: false });
  expect(state.cars.map((r) => [r.car.registration, r.status, r.car.price])).toEqual([
    ["BBB", "listed", undefined],
    ["AAA", "priced", 7450],
  ]);
});

test("a frame at or below the last sequence applied is a duplicate and changes nothing", () => {
  const state = new FeedState();
  state.apply({ seq: 5, event: "listed", car: car("AAA") });
  expect(state.apply({ seq: 5, event: "listed", car: car("AAA") })).toEqual({ applied: false });
  expect(state.apply({ seq: 4, event: "listed", car: car("ZZZ") })).toEqual({ applied: false });
  expect(state.cars).toHaveLength(1);
});

test("an update keeps the price, a removal marks the row", () => {
  const state = new FeedState();
  state.apply({ seq: 1, event: "priced", car: car("AAA", { price: 100, currencyCode: "GBP" }) });
  state.apply({ seq: 2, event: "updated", car: car("AAA", { color: "Red" }) });
  expect(state.cars[0]).toMatchObject({ status: "priced", car: { color: "Red", price: 100, currencyCode: "GBP" } });
  state.apply({ seq: 3, event: "removed", car: car("AAA") });
  expect(state.cars[0]).toMatchObject({ status: "removed", car: { price: 100 } });
});

test("a field that failed validation shows blank rather than the value it replaced", () => {
  const state = new FeedState();
  state.apply({ seq: 1, event: "listed", car: car("AAA") });
  const { color: _dropped, ...withoutColor } = car("AAA");
  state.apply({ seq: 2, event: "updated", car: withoutColor });
  expect(state.cars[0]!.car.color).toBeUndefined();
});

test("a priced event whose price failed validation shows the car priced but without a price", () => {
  const state = new FeedState();
  state.apply({ seq: 1, event: "priced", car: car("AAA", { price: 100, currencyCode: "GBP" }) });
  state.apply({ seq: 2, event: "priced", car: car("AAA") });
  expect(state.cars[0]!.status).toBe("priced");
  expect([state.cars[0]!.car.price, state.cars[0]!.car.currencyCode]).toEqual([undefined, undefined]);
});

test("a new listing of a car starts again without a price", () => {
  const state = new FeedState();
  state.apply({ seq: 1, event: "priced", car: car("AAA", { price: 100, currencyCode: "GBP" }) });
  state.apply({ seq: 2, event: "listed", car: car("AAA") });
  expect(state.cars[0]!.status).toBe("listed");
  expect(state.cars[0]!.car.price).toBeUndefined();
});

test("every change replaces the row object, so a view can find changed rows by identity", () => {
  const state = new FeedState();
  state.apply({ seq: 1, event: "listed", car: car("AAA") });
  state.apply({ seq: 2, event: "listed", car: car("BBB") });
  const [bbb, aaa] = state.cars;
  state.apply({ seq: 3, event: "priced", car: car("AAA", { price: 1, currencyCode: "GBP" }) });
  expect(state.cars[0]).toBe(bbb!);
  expect(state.cars[1]).not.toBe(aaa!);
});

test("only the latest cars are kept, newest first", () => {
  const state = new FeedState(3);
  for (let i = 1; i <= 5; i++) state.apply({ seq: i, event: "listed", car: car(`CAR${i}`) });
  expect(state.cars.map((r) => r.car.registration)).toEqual(["CAR5", "CAR4", "CAR3"]);
});

test("reset forgets rows and sequence, for a new filter", () => {
  const state = new FeedState();
  state.apply({ seq: 9, event: "listed", car: car("AAA") });
  state.reset();
  expect(state.cars).toHaveLength(0);
  expect(state.apply({ seq: 1, event: "listed", car: car("BBB") }).applied).toBe(true);
});

test("who priced a car stays with its price through an update, and a new listing starts without it", () => {
  const state = new FeedState();
  state.apply({ seq: 1, event: "listed", car: car("AAA", { origin: "alice" }) });
  state.apply({ seq: 2, event: "priced", car: car("AAA", { origin: "alice", price: 7450, currencyCode: "GBP", pricedBy: "bob" }) });
  state.apply({ seq: 3, event: "updated", car: car("AAA", { origin: "alice", color: "Red" }) });
  expect(state.cars[0]!.car).toMatchObject({ origin: "alice", pricedBy: "bob", price: 7450, color: "Red" });
  state.apply({ seq: 4, event: "listed", car: car("AAA", { origin: "alice" }) });
  expect(state.cars[0]!.car).not.toHaveProperty("pricedBy");
  expect(state.cars[0]!.car.origin).toBe("alice");
});
