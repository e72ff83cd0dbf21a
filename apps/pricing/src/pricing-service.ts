/** The price calculator: one plain object of async functions, served over every protocol and over NATS. */
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createContextKey, type HandlerContext } from "@connectrpc/connect";
import { extractContext, inSpan, SpanKind, traceIdOf } from "@forecourt/shared/platform";
import type { CarModel } from "@forecourt/shared/catalog";
import { modelCodeReason } from "@forecourt/shared/contracts";
import {
  GetPriceResponseSchema,
  GetPricesResponseSchema,
  PriceErrorSchema,
  type GetPriceRequest,
  type GetPriceResponse,
  type GetPricesRequest,
  type GetPricesResponse,
  type PriceError,
} from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";
import { CURRENCY_CODE, InvalidFieldError, priceCar, validateCar } from "./price-rules.ts";

export class ModelNotFoundError extends Error {
  constructor(
    readonly modelCode: string,
    options?: ErrorOptions,
  ) {
    super(`model "${modelCode}" is not in the catalog`, options);
    this.name = "ModelNotFoundError";
  }
}

export interface PriceCalculatorDeps {
  /** The shared catalog (a CatalogView in the app). */
  catalog: { model(code: string): CarModel | undefined };
  /** Cars are aged against this year; injected so prices are reproducible in tests. */
  currentYear: () => number;
}

export interface PriceCalculator {
  getPrice(request: GetPriceRequest): Promise<GetPriceResponse>;
  getPrices(request: GetPricesRequest, context: HandlerContext): AsyncIterable<GetPricesResponse>;
}

/** Cars one GetPrices call may ask for: far above what the pricer sends at once, far below the request size limit. */
export const MAX_CARS_PER_CALL = 500;

/** The trace ids of a GetPrices call's cars, set by the service for the call's summary log line. */
export const BATCH_TRACE_IDS = createContextKey<string[]>([], { description: "trace ids of the cars in a GetPrices call" });

const CAR_SPAN = "forecourt.pricing.v1.PriceCalculatorService/GetPrices";
const CAR_SPAN_ATTRIBUTES = { "rpc.system": "grpc", "rpc.service": "forecourt.pricing.v1.PriceCalculatorService", "rpc.method": "GetPrices" };

/** A car's own error inside a batch, as GetPrice would raise it; anything unknown fails the whole call (and is logged). */
function carError(error: unknown): PriceError {
  if (error instanceof InvalidFieldError) return create(PriceErrorSchema, { code: Code.InvalidArgument, message: error.message });
  if (error instanceof ModelNotFoundError) return create(PriceErrorSchema, { code: Code.NotFound, message: error.message });
  throw error;
}

export function createPriceCalculator({ catalog, currentYear }: PriceCalculatorDeps): PriceCalculator {
  const calculator: PriceCalculator = {
    async *getPrices({ cars, traceparents }, context) {
      if (cars.length > MAX_CARS_PER_CALL) throw new ConnectError(`cars: at most ${MAX_CARS_PER_CALL} per call, got ${cars.length}`, Code.InvalidArgument);
      const parents = traceparents.map((traceparent) => extractContext({ traceparent }));
      context.values.set(BATCH_TRACE_IDS, parents.map(traceIdOf).filter((id): id is string => id !== undefined));
      for (const [index, car] of cars.entries()) {
        // A car that names its price call's span is priced in a SERVER span under it, so its trace goes on here.
        const parent = parents[index];
        const price = () => calculator.getPrice(car);
        let result: GetPricesResponse["result"];
        try {
          result = { case: "price", value: await (parent && traceIdOf(parent) ? inSpan(CAR_SPAN, { kind: SpanKind.SERVER, parent, attributes: CAR_SPAN_ATTRIBUTES }, price) : price()) };
        } catch (error) {
          result = { case: "error", value: carError(error) };
        }
        yield create(GetPricesResponseSchema, { index, result });
      }
    },
    async getPrice(request) {
      const year = currentYear();
      const modelCode = request.modelCode.trim();
      const modelCodeProblem = modelCodeReason(modelCode);
      if (modelCodeProblem !== undefined) throw new InvalidFieldError("model_code", `model_code ${modelCodeProblem}`);
      // A bad field is the caller's mistake whatever the model, so it is reported before a missing model.
      validateCar(request, year);
      const model = catalog.model(modelCode);
      if (!model) throw new ModelNotFoundError(modelCode);
      const priced = priceCar({ basePrice: model.basePrice, color: request.color, year: request.year }, year);
      return create(GetPriceResponseSchema, {
        price: priced.price,
        currencyCode: CURRENCY_CODE,
        breakdown: {
          basePrice: priced.basePrice,
          ageYears: priced.ageYears,
          retainedBasisPoints: Number(priced.retainedBps),
          colorAdjustmentBasisPoints: Number(priced.colorAdjustmentBps),
          floorApplied: priced.floorApplied,
        },
      });
    },
  };
  return calculator;
}
