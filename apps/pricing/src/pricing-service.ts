/** The price calculator: one plain object of async functions, served over every protocol and over NATS. */
import { create } from "@bufbuild/protobuf";
import type { CarModel } from "@forecourt/shared/catalog";
import { modelCodeReason } from "@forecourt/shared/contracts";
import { GetPriceResponseSchema, type GetPriceRequest, type GetPriceResponse } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";
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
}

export function createPriceCalculator({ catalog, currentYear }: PriceCalculatorDeps): PriceCalculator {
  return {
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
}
