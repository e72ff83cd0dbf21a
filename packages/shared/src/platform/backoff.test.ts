import { expect, test } from "bun:test";
import { backoffDelay, totalRetryWindow } from "./backoff.ts";

const policy = { initialMs: 250, maxMs: 2_000 };

test("retry delays double from the initial delay", () => {
  expect([1, 2, 3, 4].map((n) => backoffDelay(n, policy))).toEqual([250, 500, 1_000, 2_000]);
});

test("retry delays never exceed the cap however many deliveries happened", () => {
  expect(backoffDelay(5, policy)).toBe(2_000);
  expect(backoffDelay(60, policy)).toBe(2_000);
  expect(backoffDelay(10_000, policy)).toBe(2_000);
});

test("a nonsensical delivery count is treated as the first delivery", () => {
  expect(backoffDelay(0, policy)).toBe(250);
  expect(backoffDelay(-3, policy)).toBe(250);
});

test("a different growth factor changes the curve", () => {
  expect([1, 2, 3].map((n) => backoffDelay(n, { initialMs: 100, maxMs: 10_000, factor: 3 }))).toEqual([100, 300, 900]);
});

test("the retry window sums the delays before the last delivery", () => {
  expect(totalRetryWindow(1, policy)).toBe(0);
  expect(totalRetryWindow(6, policy)).toBe(250 + 500 + 1_000 + 2_000 + 2_000);
});
