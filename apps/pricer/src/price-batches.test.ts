import { expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { inSpan, traceIdOf } from "@forecourt/shared/platform";
import { batchedGetPrice, type BatchedCar, type GetPrices } from "./price-batches.ts";

const car = (year: number) => ({ modelCode: "ford-fiesta", color: "Blue", year });

/** A calculator that records each call's cars and answers year × 2, or NotFound for year 1066. */
function calculator() {
  const calls: BatchedCar[][] = [];
  const getPrices: GetPrices = async (cars, onResult) => {
    calls.push(cars);
    cars.forEach(({ request }, i) => onResult(i, request.year === 1066 ? new ConnectError("no such model", Code.NotFound) : { price: request.year * 2, currencyCode: "GBP", pricedBy: "local" }));
  };
  return { calls, getPrices };
}

test("cars asked for in one turn go in one call, and each caller gets its own car's price", async () => {
  const c = calculator();
  const getPrice = batchedGetPrice(c.getPrices, { maxBatch: 32 });
  const quotes = await Promise.all([2001, 2002, 2003].map((year) => getPrice(car(year))));
  expect(quotes.map((q) => q.price)).toEqual([4002, 4004, 4006]);
  expect(c.calls.map((cars) => cars.length)).toEqual([3]);
  expect(await getPrice(car(2010))).toEqual({ price: 4020, currencyCode: "GBP", pricedBy: "local" });
  expect(c.calls).toHaveLength(2);
});

test("a full batch goes at once; the rest follow in the next call", async () => {
  const c = calculator();
  const getPrice = batchedGetPrice(c.getPrices, { maxBatch: 2 });
  await Promise.all([2001, 2002, 2003, 2004, 2005].map((year) => getPrice(car(year))));
  expect(c.calls.map((cars) => cars.map((x) => x.request.year))).toEqual([[2001, 2002], [2003, 2004], [2005]]);
});

test("a car's own error reaches only its caller; a failed call reaches every caller in it", async () => {
  const c = calculator();
  const getPrice = batchedGetPrice(c.getPrices, { maxBatch: 32 });
  const [bad, good] = await Promise.allSettled([getPrice(car(1066)), getPrice(car(2001))]);
  expect(bad.status === "rejected" && (bad.reason as ConnectError).code).toBe(Code.NotFound);
  expect(good.status === "fulfilled" && good.value.price).toBe(4002);

  const down = batchedGetPrice(async () => Promise.reject(new ConnectError("connection refused", Code.Unavailable)), { maxBatch: 32 });
  const outcomes = await Promise.allSettled([down(car(2001)), down(car(2002))]);
  expect(outcomes.map((o) => o.status === "rejected" && (o.reason as ConnectError).code)).toEqual([Code.Unavailable, Code.Unavailable]);
});

test("each car keeps the context (the consumer span) its caller was in", async () => {
  const c = calculator();
  const getPrice = batchedGetPrice(c.getPrices, { maxBatch: 32 });
  const traced = (name: string, year: number) => inSpan(name, {}, async (span) => ({ traceId: span.spanContext().traceId, price: getPrice(car(year)) }));
  const [a, b] = await Promise.all([traced("car a", 2001), traced("car b", 2002)]);
  await Promise.all([a.price, b.price, getPrice(car(2003))]);
  expect(c.calls[0]!.map((x) => traceIdOf(x.context))).toEqual([a.traceId, b.traceId, undefined]);
});

test("results arrive one by one: a car answered early is not held up by a slow one, and a car left without a result fails", async () => {
  let finish!: () => void;
  const getPrice = batchedGetPrice(
    async (_cars, onResult) => {
      onResult(1, { price: 2, currencyCode: "GBP", pricedBy: "local" });
      await new Promise<void>((resolve) => (finish = resolve));
    },
    { maxBatch: 32 },
  );
  const slow = getPrice(car(2001));
  const quick = await getPrice(car(2002));
  expect(quick.price).toBe(2);
  finish();
  expect(slow).rejects.toThrow("no result for this car");
});

test("a call that fails after some results fails only the cars still waiting", async () => {
  const getPrice = batchedGetPrice(
    async (_cars, onResult) => {
      onResult(0, { price: 1, currencyCode: "GBP", pricedBy: "local" });
      throw new ConnectError("deadline exceeded", Code.DeadlineExceeded);
    },
    { maxBatch: 32 },
  );
  const [first, second] = await Promise.allSettled([getPrice(car(2001)), getPrice(car(2002))]);
  expect(first.status).toBe("fulfilled");
  expect(second.status === "rejected" && (second.reason as ConnectError).code).toBe(Code.DeadlineExceeded);
});
