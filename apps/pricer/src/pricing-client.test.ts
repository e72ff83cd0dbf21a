import { expect, test } from "bun:test";
import { Code, ConnectError, createRouterTransport } from "@connectrpc/connect";
import { PriceCalculatorService } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";
import { childSpan, currentTrace, traceparentInterceptor, withTrace } from "@forecourt/shared/platform";
import { createGetPrice, createGetPrices, isPermanentPricingError } from "./pricing-client.ts";

test("a quote comes back with the price in whole units and the trace travels as traceparent", async () => {
  let seen: string | null = null;
  const transport = createRouterTransport(
    (router) =>
      router.service(PriceCalculatorService, {
        getPrice(request, context) {
          seen = context.requestHeader.get("traceparent");
          return { price: BigInt(request.year * 3), currencyCode: "GBP" };
        },
      }),
    { transport: { interceptors: [traceparentInterceptor] } },
  );
  const trace = childSpan();
  const quote = await withTrace(trace, () => createGetPrice(transport, 1_000, "alice")({ modelCode: "ford-fiesta", color: "Blue", year: 2015 }));
  expect(quote).toEqual({ price: 6045, currencyCode: "GBP", pricedBy: "alice" });
  expect(seen).toMatch(new RegExp(`^00-${trace.traceId}-[0-9a-f]{16}-01$`));
  expect(currentTrace()).toBeUndefined();
});

test("unknown models and bad input are permanent; outages and timeouts are worth retrying", () => {
  expect(isPermanentPricingError(new ConnectError("no such model", Code.NotFound))).toBe(true);
  expect(isPermanentPricingError(new ConnectError("bad year", Code.InvalidArgument))).toBe(true);
  expect(isPermanentPricingError(new ConnectError("down", Code.Unavailable))).toBe(false);
  expect(isPermanentPricingError(new ConnectError("slow", Code.DeadlineExceeded))).toBe(false);
  expect(isPermanentPricingError(new ConnectError("bug", Code.Internal))).toBe(false);
  expect(isPermanentPricingError(new Error("ECONNREFUSED"))).toBe(false);
});

test("GetPrices answers each car with its quote or its own error, and carries each car's trace", async () => {
  let traceparents: string[] = [];
  const transport = createRouterTransport((router) =>
    router.service(PriceCalculatorService, {
      async *getPrices(request) {
        traceparents = request.traceparents;
        // Out of order on purpose: each result says which car it is for.
        for (const index of [1, 0]) {
          const car = request.cars[index]!;
          yield car.year === 1066 ? { index, result: { case: "error" as const, value: { code: Code.NotFound, message: "no such model" } } } : { index, result: { case: "price" as const, value: { price: BigInt(car.year), currencyCode: "GBP" } } };
        }
      },
    }),
  );
  const trace = childSpan();
  const results: unknown[] = [];
  await createGetPrices(transport, 1_000, "local")(
    [
      { request: { modelCode: "ford-fiesta", color: "Blue", year: 2015 }, trace },
      { request: { modelCode: "ford-model-t", color: "Black", year: 1066 }, trace: undefined },
    ],
    (index, outcome) => (results[index] = outcome),
  );
  expect(results[0]).toEqual({ price: 2015, currencyCode: "GBP", pricedBy: "local" });
  expect(results[1]).toBeInstanceOf(ConnectError);
  expect((results[1] as ConnectError).code).toBe(Code.NotFound);
  expect(isPermanentPricingError(results[1])).toBe(true);
  expect(traceparents[0]).toMatch(new RegExp(`^00-${trace.traceId}-[0-9a-f]{16}-01$`));
  expect(traceparents[1]).toBe("");
});

test("a calculator without GetPrices (older than the pricer) is asked car by car, each in its own trace", async () => {
  const seen: (string | null)[] = [];
  const transport = createRouterTransport(
    (router) =>
      router.service(PriceCalculatorService, {
        getPrice(request, context) {
          seen.push(context.requestHeader.get("traceparent"));
          if (request.year === 1066) throw new ConnectError("no such model", Code.NotFound);
          return { price: BigInt(request.year), currencyCode: "GBP" };
        },
      }),
    { transport: { interceptors: [traceparentInterceptor] } },
  );
  const trace = childSpan();
  const results: unknown[] = [];
  await createGetPrices(transport, 1_000, "local")(
    [
      { request: { modelCode: "ford-fiesta", color: "Blue", year: 2015 }, trace },
      { request: { modelCode: "ford-model-t", color: "Black", year: 1066 }, trace: undefined },
    ],
    (index, outcome) => (results[index] = outcome),
  );
  expect(results[0]).toEqual({ price: 2015, currencyCode: "GBP", pricedBy: "local" });
  expect((results[1] as ConnectError).code).toBe(Code.NotFound);
  expect(seen[0]).toMatch(new RegExp(`^00-${trace.traceId}-`));
});
