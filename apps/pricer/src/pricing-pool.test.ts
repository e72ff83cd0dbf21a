import { afterEach, expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createRouterTransport } from "@connectrpc/connect";
import { PriceCalculatorService } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";
import { Health, HealthCheckResponse_ServingStatus as ServingStatus, HealthCheckResponseSchema } from "@forecourt/shared/gen/grpc/health/v1/health_pb";
import { createLogger } from "@forecourt/shared/platform";
import { batchedGetPrice } from "./price-batches.ts";
import { createPricingPool, type PricingPool } from "./pricing-pool.ts";

interface FakeTarget {
  /** GetPrices calls that reached it. */
  calls: number;
  /** Cars it was asked for. */
  cars: number;
  fail?: Code;
  /** Answer this many cars, then drop the call UNAVAILABLE (a calculator dying mid-stream). */
  answerThenDrop?: number;
  status: ServingStatus;
}

const logs: Record<string, unknown>[] = [];
const log = createLogger({ service: "test", write: (line) => logs.push(JSON.parse(line)) });
const pools: PricingPool[] = [];
afterEach(() => {
  pools.splice(0).forEach((p) => p.stop());
  logs.length = 0;
});

function poolOf(...targets: FakeTarget[]): PricingPool {
  const byUrl = new Map(targets.map((t, i) => [`http://t${i}`, t]));
  const pool = createPricingPool({
    urls: [...byUrl.keys()],
    timeoutMs: 1_000,
    pricedBy: "local",
    probeIntervalMs: 3_600_000,
    log,
    transportFor: (url) => {
      const target = byUrl.get(url)!;
      const price = BigInt(1_000 + [...byUrl.values()].indexOf(target));
      return createRouterTransport((router) => {
        router.service(PriceCalculatorService, {
          async *getPrices({ cars }) {
            target.calls++;
            target.cars += cars.length;
            if (target.fail !== undefined) throw new ConnectError("refused", target.fail);
            for (const index of cars.keys()) {
              if (index === target.answerThenDrop) throw new ConnectError("connection reset", Code.Unavailable);
              yield { index, result: { case: "price" as const, value: { price, currencyCode: "GBP" } } };
            }
          },
        });
        router.service(Health, { check: () => create(HealthCheckResponseSchema, { status: target.status }), async *watch() {} });
      });
    },
  });
  pools.push(pool);
  return pool;
}

/** One car per GetPrices call, as the pricer sends when a single message is in flight. */
const oneByOne = (pool: PricingPool) => batchedGetPrice(pool.getPrices, { maxBatch: 1 });

const car = { modelCode: "ford-fiesta", color: "Blue", year: 2015 };
const serving = (): FakeTarget => ({ calls: 0, cars: 0, status: ServingStatus.SERVING });

test("calls are spread evenly over every price calculator", async () => {
  const [a, b, c] = [serving(), serving(), serving()];
  const getPrice = oneByOne(poolOf(a, b, c));
  const prices = [];
  for (let i = 0; i < 6; i++) prices.push((await getPrice(car)).price);
  expect(prices).toEqual([1000, 1001, 1002, 1000, 1001, 1002]);
  expect([a.calls, b.calls, c.calls]).toEqual([2, 2, 2]);
});

test("an unreachable calculator is marked down and the same call goes to the next one; a health check brings it back", async () => {
  const a: FakeTarget = { ...serving(), fail: Code.Unavailable };
  const b = serving();
  const pool = poolOf(a, b);
  const getPrice = oneByOne(pool);
  expect((await getPrice(car)).price).toBe(1001);
  expect(pool.targets().map((t) => t.up)).toEqual([false, true]);
  expect(logs.find((l) => l.msg === "price calculator down")).toMatchObject({ url: "http://t0", up: 1, of: 2 });
  for (let i = 0; i < 3; i++) await getPrice(car);
  expect([a.calls, b.calls]).toEqual([1, 4]);

  a.fail = undefined;
  await pool.probe();
  expect(pool.targets().map((t) => t.up)).toEqual([true, true]);
  await getPrice(car);
  await getPrice(car);
  expect(a.calls).toBe(2);
});

test("a calculator whose health check says NOT_SERVING gets no calls; with none left a call fails UNAVAILABLE", async () => {
  const a = serving();
  const b = serving();
  const pool = poolOf(a, b);
  const getPrice = oneByOne(pool);
  b.status = ServingStatus.NOT_SERVING;
  await pool.probe();
  await getPrice(car);
  await getPrice(car);
  expect([a.calls, b.calls]).toEqual([2, 0]);

  a.fail = Code.Unavailable;
  const error = await getPrice(car).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConnectError);
  expect((error as ConnectError).code).toBe(Code.Unavailable);
  expect((error as ConnectError).rawMessage).toBe("no price calculator reachable (0 of 2 up, 1 tried for this call)");
});

test("an answer that is a refusal (unknown model) is not tried elsewhere and marks nothing down", async () => {
  const a = { ...serving(), fail: Code.NotFound };
  const b = serving();
  const pool = poolOf(a, b);
  const error = await oneByOne(pool)(car).catch((e: unknown) => e);
  expect((error as ConnectError).code).toBe(Code.NotFound);
  expect([a.calls, b.calls]).toEqual([1, 0]);
  expect(pool.targets().map((t) => [t.up, t.calls, t.failures])).toEqual([[true, 1, 1], [true, 0, 0]]);
});

test("the cars handled at once go in batches spread round-robin over the calculators that are up, each car with its own result", async () => {
  const [a, b, c] = [serving(), serving(), serving()];
  const pool = poolOf(a, b, c);
  b.status = ServingStatus.NOT_SERVING;
  await pool.probe();
  const getPrice = batchedGetPrice(pool.getPrices, { maxBatch: 2 });
  const quotes = await Promise.all(Array.from({ length: 8 }, (_, i) => getPrice({ ...car, year: 2010 + i })));
  expect(quotes.map((q) => q.price)).toEqual([1000, 1000, 1002, 1002, 1000, 1000, 1002, 1002]);
  expect([a.calls, b.calls, c.calls]).toEqual([2, 0, 2]);
  expect([a.cars, b.cars, c.cars]).toEqual([4, 0, 4]);
});

test("a calculator that drops a batch mid-stream is marked down; the cars it answered keep their price, the rest go to the next", async () => {
  const a: FakeTarget = { ...serving(), answerThenDrop: 2 };
  const b = serving();
  const pool = poolOf(a, b);
  const getPrice = batchedGetPrice(pool.getPrices, { maxBatch: 5 });
  const quotes = await Promise.all(Array.from({ length: 5 }, (_, i) => getPrice({ ...car, year: 2010 + i })));
  expect(quotes.map((q) => q.price)).toEqual([1000, 1000, 1001, 1001, 1001]);
  expect([a.cars, b.cars]).toEqual([5, 3]);
  expect(pool.targets().map((t) => [t.up, t.calls, t.failures])).toEqual([[false, 1, 1], [true, 1, 0]]);
});
