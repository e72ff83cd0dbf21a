import { expect, test } from "bun:test";
import { countDeliveries, countStep, crossingRate, percentile, summarise } from "./measures.ts";

test("percentiles are nearest-rank over the sorted values", () => {
  const values = Array.from({ length: 100 }, (_, i) => 100 - i);
  expect(summarise(values)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99 });
  expect(percentile([7], 0.99)).toBe(7);
  expect(summarise([]).p50).toBeNaN();
});

test("the crossing rate counts deliveries over the time from the first car listed to the last delivery", () => {
  expect(crossingRate(40, 1_000, 5_000)).toBe(10);
  expect(crossingRate(0, 1_000, 5_000)).toBe(0);
  expect(crossingRate(3, 1_000, 1_000)).toBe(0);
});

test("a key missing from a stream is lost there, a second copy is a duplicate, other steps' keys are ignored", () => {
  const expected = ["listed.alice.A1", "listed.bob.B1"];
  const result = countDeliveries(expected, [
    ["listed.alice.A1", "listed.bob.B1", "listed.alice.OLD"],
    ["listed.alice.A1", "listed.alice.A1"],
  ]);
  expect(result).toEqual({ lost: 1, duplicated: 1, once: 3, missing: ["listed.bob.B1"] });
});

test("every key once in every stream is nothing lost and nothing duplicated", () => {
  const expected = ["a", "b", "c"];
  expect(countDeliveries(expected, [["c", "b", "a"], ["a", "b", "c"]])).toEqual({ lost: 0, duplicated: 0, once: 6, missing: [] });
});

test("a priced event its own participant has not published yet is unpriced, not lost; once published it must be everywhere", () => {
  const cars = [["a", "A1"], ["b", "B1"]] as const;
  const streams = {
    a: ["listed.a.A1", "priced.a.A1", "listed.b.B1"],
    b: ["listed.a.A1", "listed.b.B1"],
  };
  expect(countStep(cars, streams)).toEqual({ lost: 1, duplicated: 0, once: 5, missing: ["priced.a.A1"], unpriced: ["b.B1"] });
});
