import { expect, test } from "bun:test";
import { WriteRateLimiter } from "./write-rate-limit.ts";

function clock() {
  let ms = 1_000;
  return { now: () => ms, advance: (by: number) => (ms += by) };
}

test("a dealer may write a burst at once, then waits for the bucket to refill", () => {
  const time = clock();
  const limiter = new WriteRateLimiter({ perSecond: 2, burst: 3 }, time.now);
  expect([limiter.take("a"), limiter.take("a"), limiter.take("a")]).toEqual([0, 0, 0]);
  expect(limiter.take("a")).toBe(1);
  time.advance(499);
  expect(limiter.take("a")).toBe(1);
  time.advance(1);
  expect(limiter.take("a")).toBe(0);
});

test("each dealer has its own bucket", () => {
  const time = clock();
  const limiter = new WriteRateLimiter({ perSecond: 1, burst: 1 }, time.now);
  expect(limiter.take("a")).toBe(0);
  expect(limiter.take("a")).toBe(1);
  expect(limiter.take("b")).toBe(0);
});

test("an idle dealer's bucket fills up to the burst and no further", () => {
  const time = clock();
  const limiter = new WriteRateLimiter({ perSecond: 10, burst: 2 }, time.now);
  limiter.take("a");
  time.advance(60_000);
  expect([limiter.take("a"), limiter.take("a"), limiter.take("a")]).toEqual([0, 0, 1]);
});

test("Retry-After is whole seconds until one write is available, at a slow rate too", () => {
  const time = clock();
  const limiter = new WriteRateLimiter({ perSecond: 0.25, burst: 1 }, time.now);
  limiter.take("a");
  expect(limiter.take("a")).toBe(4);
});

test("a rate of 0 turns the limit off", () => {
  const limiter = new WriteRateLimiter({ perSecond: 0, burst: 0 });
  for (let i = 0; i < 1000; i++) expect(limiter.take("a")).toBe(0);
});
