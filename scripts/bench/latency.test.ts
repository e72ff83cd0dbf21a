import { expect, test } from "bun:test";
import { dueAt, dueCount, percentile, summarise } from "./latency.ts";

test("nearest-rank percentiles of 1..100 are the values themselves", () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  expect(percentile(values, 0.5)).toBe(50);
  expect(percentile(values, 0.99)).toBe(99);
  expect(percentile(values, 1)).toBe(100);
  expect(percentile([], 0.5)).toBeNaN();
});

test("a summary sorts first and reports count, p50, p99 and max", () => {
  expect(summarise([5, 1, 3, 2, 4])).toEqual({ count: 5, p50: 3, p99: 5, max: 5 });
});

test("the open-loop schedule sends one at once, then one every 1/rate seconds, never more than the total", () => {
  expect(dueCount(-1, 1000, 10)).toBe(0);
  expect(dueCount(0, 1000, 10)).toBe(1);
  expect(dueCount(4.5, 1000, 10)).toBe(5);
  expect(dueCount(1000, 250, 10_000)).toBe(251);
  expect(dueCount(60_000, 1000, 10)).toBe(10);
  expect(dueAt(250, 500)).toBe(500);
});
