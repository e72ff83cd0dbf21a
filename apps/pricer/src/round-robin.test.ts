import { expect, test } from "bun:test";
import { RoundRobin } from "./round-robin.ts";

test("calls go to each target in turn", () => {
  const rr = new RoundRobin(["a", "b", "c"]);
  expect(Array.from({ length: 7 }, () => rr.next())).toEqual([0, 1, 2, 0, 1, 2, 0]);
});

test("a target that is down is passed over until it is up again", () => {
  const rr = new RoundRobin(["a", "b", "c"]);
  expect(rr.setUp(1, false)).toBe(true);
  expect(rr.setUp(1, false)).toBe(false);
  expect(Array.from({ length: 4 }, () => rr.next())).toEqual([0, 2, 0, 2]);
  expect(rr.upCount()).toBe(2);
  rr.setUp(1, true);
  expect(Array.from({ length: 3 }, () => rr.next())).toEqual([0, 1, 2]);
});

test("targets already tried for a call are skipped, and none is left when all are down or tried", () => {
  const rr = new RoundRobin(["a", "b"]);
  expect(rr.next(new Set([0]))).toBe(1);
  expect(rr.next(new Set([0, 1]))).toBeUndefined();
  rr.setUp(0, false);
  rr.setUp(1, false);
  expect(rr.next()).toBeUndefined();
});

test("an empty list is refused", () => {
  expect(() => new RoundRobin([])).toThrow("at least one target");
});
