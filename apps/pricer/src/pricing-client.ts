/**
 * The price calculator as the pricer sees it: one call, a deadline, and which failures are worth retrying.
 * Two transports: gRPC to PRICING_URL (the stack's own calculators, round-robin through pricing-pool.ts), or the calculator's NATS micro service endpoint
 * (forecourt.pricing.get-price), which in a workshop is answered by whichever participant's calculator the queue
 * group picks. Both report failures as Connect codes, so one rule decides what is retried.
 */
import { fromJsonString } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ServiceError } from "@nats-io/services";
import { errors, headers as natsHeaders, type Msg, type NatsConnection } from "@nats-io/transport-node";
import { PARTICIPANT_HEADER, SUBJECTS } from "@forecourt/shared/contracts";
import { GetPriceResponseSchema, PriceCalculatorService } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";
import { injectContext, inSpan, messagingAttributes, SpanKind, traceparentOf, withContext } from "@forecourt/shared/platform";
import { rpcClientTelemetry, startRpcItemSpan } from "@forecourt/shared/platform/rpc";
import type { GetPrices } from "./price-batches.ts";
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

/** Over gRPC: the calculator at the transport's URL, which is `pricedBy`'s (the stack's own). */
export function createGetPrice(transport: Transport, timeoutMs: number, pricedBy: string): GetPrice {
  const client = createClient(PriceCalculatorService, transport);
  return async (request) => {
    const response = await client.getPrice(request, { timeoutMs });
    return { price: Number(response.price), currencyCode: response.currencyCode, pricedBy };
  };
}

/** The micro service's HTTP-like error codes as Connect codes. */
const SERVICE_CODES: Record<number, Code> = { 400: Code.InvalidArgument, 404: Code.NotFound, 503: Code.Unavailable };

/** Over NATS request/reply: whoever answers names itself in the Forecourt-Participant header. */
export function createNatsGetPrice(nc: NatsConnection, timeoutMs: number): GetPrice {
  return async (request) => {
    let reply: Msg;
    try {
      // A CLIENT span whose context travels in the request's headers, as over gRPC.
      const span = { kind: SpanKind.CLIENT, attributes: messagingAttributes("publish", SUBJECTS.getPrice) };
      reply = await inSpan(`request ${SUBJECTS.getPrice}`, span, () => nc.request(SUBJECTS.getPrice, JSON.stringify(request), { timeout: timeoutMs, headers: injectContext(natsHeaders()) }));
    } catch (error) {
      // No calculator anywhere (no responders) or none in time: both may change, so both are retried.
      const code = error instanceof errors.TimeoutError ? Code.DeadlineExceeded : Code.Unavailable;
      throw new ConnectError(`${SUBJECTS.getPrice}: ${(error as Error).message}`, code, undefined, undefined, error);
    }
    const serviceError = ServiceError.toServiceError(reply);
    if (serviceError) throw new ConnectError(serviceError.message, SERVICE_CODES[serviceError.code] ?? Code.Internal, undefined, undefined, serviceError);
    let response;
    try {
      response = fromJsonString(GetPriceResponseSchema, reply.string());
    } catch (error) {
      throw new ConnectError(`${SUBJECTS.getPrice} answered something that is not a GetPriceResponse`, Code.Internal, undefined, undefined, error);
    }
    const pricedBy = reply.headers?.get(PARTICIPANT_HEADER) ?? "";
    return { price: Number(response.price), currencyCode: response.currencyCode, pricedBy };
  };
}

/**
 * GetPrices for the batcher: each car's price call is a CLIENT span of its own in the car's trace (a child of its
 * consumer span), sent as that car's traceparent and ended with that car's result. A calculator that predates
 * GetPrices (Unimplemented: a rolling upgrade) is asked car by car instead, each GetPrice in its car's trace.
 */
export function createGetPrices(transport: Transport, timeoutMs: number, pricedBy: string): GetPrices {
  const client = createClient(PriceCalculatorService, transport);
  const one = createGetPrice(transport, timeoutMs, pricedBy);
  const service = PriceCalculatorService.typeName;
  return async (cars, onResult) => {
    const spans = cars.map((car) => startRpcItemSpan(service, "GetPrices", car.context));
    const ended = new Set<number>();
    const finish = (index: number, outcome: PriceQuote | ConnectError) => {
      if (ended.has(index) || !spans[index]) return;
      ended.add(index);
      spans[index].end(outcome instanceof ConnectError ? outcome : undefined);
      onResult(index, outcome);
    };
    const request = { cars: cars.map((c) => c.request), traceparents: spans.map((s) => traceparentOf(s.ctx) ?? "") };
    try {
      for await (const { index, result } of client.getPrices(request, { timeoutMs })) {
        finish(index, result.case === "price" ? { price: Number(result.value.price), currencyCode: result.value.currencyCode, pricedBy } : new ConnectError(result.value?.message ?? "no result", result.value?.code ?? Code.Internal));
      }
    } catch (error) {
      const failed = ConnectError.from(error);
      spans.forEach((span, i) => !ended.has(i) && (ended.add(i), span.end(failed)));
      if (failed.code !== Code.Unimplemented) throw error;
      await Promise.all(cars.map(async ({ request, context }, i) => onResult(i, await withContext(context, () => one(request)).catch((e: unknown) => ConnectError.from(e)))));
      return;
    }
    spans.forEach((span, i) => !ended.has(i) && span.end(new ConnectError("the price calculator sent no result for this car", Code.Internal)));
  };
}

/** The calculator said no and will say no again: an unknown model or a bad year or colour. */
const PERMANENT = new Set([Code.NotFound, Code.InvalidArgument, Code.OutOfRange]);

export function isPermanentPricingError(error: unknown): boolean {
  return error instanceof ConnectError && PERMANENT.has(error.code);
}
