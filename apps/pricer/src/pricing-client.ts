/** The price calculator as the pricer sees it: one call, a deadline, and which failures are worth retrying. */
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { PriceCalculatorService } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";
import { childSpan, formatTraceparent, traceparentInterceptor, withTrace } from "@forecourt/shared/platform";
import type { GetPrices } from "./price-batches.ts";
import type { PriceQuote } from "./priced-event.ts";

export interface PriceRequest {
  modelCode: string;
  color: string;
  year: number;
}

export type GetPrice = (request: PriceRequest) => Promise<PriceQuote>;

/** gRPC over h2c (the gRPC transport is always HTTP/2), the calculator's native protocol; the interceptor sends the trace along. */
export function createPricingTransport(baseUrl: string): Transport {
  return createGrpcTransport({ baseUrl, interceptors: [traceparentInterceptor] });
}

export function createGetPrice(transport: Transport, timeoutMs: number): GetPrice {
  const client = createClient(PriceCalculatorService, transport);
  return async (request) => {
    const response = await client.getPrice(request, { timeoutMs });
    return { price: Number(response.price), currencyCode: response.currencyCode };
  };
}

/**
 * GetPrices for the batcher: each car's trace goes along as its own traceparent. A calculator that predates
 * GetPrices (Unimplemented: a rolling upgrade) is asked car by car instead.
 */
export function createGetPrices(transport: Transport, timeoutMs: number): GetPrices {
  const client = createClient(PriceCalculatorService, transport);
  const one = createGetPrice(transport, timeoutMs);
  return async (cars, onResult) => {
    const request = { cars: cars.map((c) => c.request), traceparents: cars.map((c) => (c.trace ? formatTraceparent(childSpan(c.trace)) : "")) };
    try {
      for await (const { index, result } of client.getPrices(request, { timeoutMs })) {
        onResult(index, result.case === "price" ? { price: Number(result.value.price), currencyCode: result.value.currencyCode } : new ConnectError(result.value?.message ?? "no result", result.value?.code ?? Code.Internal));
      }
    } catch (error) {
      if (!(error instanceof ConnectError && error.code === Code.Unimplemented)) throw error;
      await Promise.all(
        cars.map(async ({ request, trace }, i) => onResult(i, await (trace ? withTrace(trace, () => one(request)) : one(request)).catch((e: unknown) => ConnectError.from(e)))),
      );
    }
  };
}

/** The calculator said no and will say no again: an unknown model or a bad year or colour. */
const PERMANENT = new Set([Code.NotFound, Code.InvalidArgument, Code.OutOfRange]);

export function isPermanentPricingError(error: unknown): boolean {
  return error instanceof ConnectError && PERMANENT.has(error.code);
}
