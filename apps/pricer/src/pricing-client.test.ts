import { afterAll, expect, test } from "bun:test";
import { Code, ConnectError, createRouterTransport } from "@connectrpc/connect";
import { PriceCalculatorService } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";
import { activeContext, activeSpanIds, inSpan, SpanKind } from "@forecourt/shared/platform";
import { rpcClientTelemetry } from "@forecourt/shared/platform/rpc";
import { captureSpans } from "@forecourt/shared/testing";
import { createGetPrice, createGetPrices, isPermanentPricingError } from "./pricing-client.ts";

const { exporter, tracing } = await captureSpans("pricer-test");
afterAll(() => tracing.stop());

test("a quote comes back with the price in whole units and the call's CLIENT span travels as traceparent", async () => {
  let seen: string | null = null;
  const transport = createRouterTransport(
    (router) =>
      router.service(PriceCalculatorService, {
        getPrice(request, context) {
          seen = context.requestHeader.get("traceparent");
          return { price: BigInt(request.year * 3), currencyCode: "GBP" };
        },
      }),
    { transport: { interceptors: [rpcClientTelemetry] } },
  );
  const { quote, ids } = await inSpan("handle car", {}, async () => ({ quote: await createGetPrice(transport, 1_000, "alice")({ modelCode: "ford-fiesta", color: "Blue", year: 2015 }), ids: activeSpanIds()! }));
  expect(quote).toEqual({ price: 6045, currencyCode: "GBP", pricedBy: "alice" });
  // Same trace, but the parent the server sees is the call's own span, not the handler's.
  expect(seen).toMatch(new RegExp(`^00-${ids.traceId}-[0-9a-f]{16}-01$`));
  expect(seen).not.toContain(ids.spanId);
  expect(activeSpanIds()).toBeUndefined();
});

test("unknown models and bad input are permanent; outages and timeouts are worth retrying", () => {
  expect(isPermanentPricingError(new ConnectError("no such model", Code.NotFound))).toBe(true);
  expect(isPermanentPricingError(new ConnectError("bad year", Code.InvalidArgument))).toBe(true);
  expect(isPermanentPricingError(new ConnectError("down", Code.Unavailable))).toBe(false);
  expect(isPermanentPricingError(new ConnectError("slow", Code.DeadlineExceeded))).toBe(false);
  expect(isPermanentPricingError(new ConnectError("bug", Code.Internal))).toBe(false);
  expect(isPermanentPricingError(new Error("ECONNREFUSED"))).toBe(false);
});

test("GetPrices answers each car with its quote or its own error, each car's call a CLIENT span in its own trace", async () => {
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
  exporter.reset();
  const [first, second] = await Promise.all([
    inSpan("consume car 1", { kind: SpanKind.CONSUMER }, async () => ({ context: activeContext(), ids: activeSpanIds()! })),
    inSpan("consume car 2", { kind: SpanKind.CONSUMER }, async () => ({ context: activeContext(), ids: activeSpanIds()! })),
  ]);
  const results: unknown[] = [];
  await createGetPrices(transport, 1_000, "local")(
    [
      { request: { modelCode: "ford-fiesta", color: "Blue", year: 2015 }, context: first.context },
      { request: { modelCode: "ford-model-t", color: "Black", year: 1066 }, context: second.context },
    ],
    (index, outcome) => (results[index] = outcome),
  );
  expect(results[0]).toEqual({ price: 2015, currencyCode: "GBP", pricedBy: "local" });
  expect(results[1]).toBeInstanceOf(ConnectError);
  expect((results[1] as ConnectError).code).toBe(Code.NotFound);
  expect(isPermanentPricingError(results[1])).toBe(true);

  const calls = exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.CLIENT);
  expect(calls.map((span) => span.name)).toEqual(["forecourt.pricing.v1.PriceCalculatorService/GetPrices", "forecourt.pricing.v1.PriceCalculatorService/GetPrices"]);
  const byTrace = (traceId: string) => calls.find((span) => span.spanContext().traceId === traceId)!;
  const [call1, call2] = [byTrace(first.ids.traceId), byTrace(second.ids.traceId)];
  expect(call1.parentSpanContext?.spanId).toBe(first.ids.spanId);
  expect(call2.parentSpanContext?.spanId).toBe(second.ids.spanId);
  // Each car's traceparent names its own CLIENT span, so the calculator's part hangs under it.
  expect(traceparents).toEqual([`00-${first.ids.traceId}-${call1.spanContext().spanId}-01`, `00-${second.ids.traceId}-${call2.spanContext().spanId}-01`]);
  expect(call1.status.code).toBe(0);
  expect(call2.status.code).toBe(2);
  expect(call2.attributes["rpc.grpc.status_code"]).toBe(Code.NotFound);
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
    { transport: { interceptors: [rpcClientTelemetry] } },
  );
  const car = await inSpan("consume car", { kind: SpanKind.CONSUMER }, async () => ({ context: activeContext(), ids: activeSpanIds()! }));
  const results: unknown[] = [];
  await createGetPrices(transport, 1_000, "local")(
    [
      { request: { modelCode: "ford-fiesta", color: "Blue", year: 2015 }, context: car.context },
      { request: { modelCode: "ford-model-t", color: "Black", year: 1066 }, context: activeContext() },
    ],
    (index, outcome) => (results[index] = outcome),
  );
  expect(results[0]).toEqual({ price: 2015, currencyCode: "GBP", pricedBy: "local" });
  expect((results[1] as ConnectError).code).toBe(Code.NotFound);
  expect(seen[0]).toMatch(new RegExp(`^00-${car.ids.traceId}-`));
  expect(seen[1]).not.toContain(car.ids.traceId);
});
