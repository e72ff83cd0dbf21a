import { expect, test } from "bun:test";
import { Code, ConnectError, createRouterTransport } from "@connectrpc/connect";
import { PriceCalculatorService } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";
import { activeSpanIds, inSpan, rpcClientTelemetry } from "@forecourt/shared/platform";
import { createGetPrice, isPermanentPricingError } from "./pricing-client.ts";

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
