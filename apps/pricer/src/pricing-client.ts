/** The price calculator as the pricer sees it: one call, a deadline, and which failures are worth retrying. */
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { PriceCalculatorService } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";
import { rpcClientTelemetry } from "@forecourt/shared/platform";
import type { PriceQuote } from "./priced-event.ts";

export interface PriceRequest {
  modelCode: string;
  color: string;
  year: number;
}

export type GetPrice = (request: PriceRequest) => Promise<PriceQuote>;

/** gRPC over h2c (the gRPC transport is always HTTP/2), the calculator's native protocol; each call is a CLIENT span whose context travels along. */
export function createPricingTransport(baseUrl: string): Transport {
  return createGrpcTransport({ baseUrl, interceptors: [rpcClientTelemetry] });
}

export function createGetPrice(transport: Transport, timeoutMs: number): GetPrice {
  const client = createClient(PriceCalculatorService, transport);
  return async (request) => {
    const response = await client.getPrice(request, { timeoutMs });
    return { price: Number(response.price), currencyCode: response.currencyCode };
  };
}

/** The calculator said no and will say no again: an unknown model or a bad year or colour. */
const PERMANENT = new Set([Code.NotFound, Code.InvalidArgument, Code.OutOfRange]);

export function isPermanentPricingError(error: unknown): boolean {
  return error instanceof ConnectError && PERMANENT.has(error.code);
}
