/**
 * How Forecourt prices a used car: pure and deterministic, integer money only (bigint pounds; percentages
 * as integer basis points, 10_000 = 100%), so the same car on the same day always gets the same price.
 */

import { vehicleFieldErrors } from "@forecourt/shared/contracts";

export const CURRENCY_CODE = "GBP";

const BASIS = 10_000n;

/** Value kept over each year of age, in basis points: steep in year one, flattening as the car ages. */
export function yearlyRetentionBps(yearOfAge: number): bigint {
  if (yearOfAge === 1) return 8_000n;
  if (yearOfAge <= 5) return 8_500n;
  if (yearOfAge <= 10) return 9_000n;
  return 9_500n;
}

/** Colour words buyers pay more (neutral, easy to resell) or less (hard to resell) for, in basis points. */
export const COLOR_ADJUSTMENTS_BPS: Readonly<Record<string, bigint>> = {
  black: 300n,
  white: 300n,
  grey: 300n,
  gray: 300n,
  silver: 300n,
  blue: 0n,
  red: 0n,
  green: -300n,
  brown: -300n,
  beige: -300n,
  gold: -300n,
  yellow: -500n,
  orange: -500n,
  purple: -500n,
  pink: -500n,
};

/** The first colour word we know decides ("Metallic Grey" is grey); an unknown colour changes nothing. */
export function colorAdjustmentBps(color: string): bigint {
  for (const word of color.toLowerCase().split(/[^a-z]+/)) {
    const bps = COLOR_ADJUSTMENTS_BPS[word];
    if (bps !== undefined) return bps;
  }
  return 0n;
}

/** No car is worth less than scrap plus selling effort, nor less than a tenth of its new price. */
export const FLOOR_PRICE = 500n;
export const FLOOR_SHARE_BPS = 1_000n;

/** Asking prices end in a round ten pounds. */
export const ROUND_TO = 10n;

export class InvalidFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "InvalidFieldError";
  }
}

export interface CarToPrice {
  /** Price of the model new, in whole pounds (the catalog's basePrice). */
  basePrice: number;
  color: string;
  year: number;
}

export interface PriceBreakdown {
  price: bigint;
  basePrice: bigint;
  ageYears: number;
  /** Value left after depreciation, in basis points of the base price. */
  retainedBps: bigint;
  colorAdjustmentBps: bigint;
  floorApplied: boolean;
}

/**
 * Throws InvalidFieldError naming the first bad field, by the shared vehicle rules the API lists cars with;
 * `currentYear` bounds the year (next year's cars exist).
 */
export function validateCar(car: { color: string; year: number }, currentYear: number): void {
  const [problem] = vehicleFieldErrors(car, currentYear, ["year", "color"]);
  if (problem) throw new InvalidFieldError(problem.field, `${problem.field} ${problem.reason}`);
}

function roundHalfUp(value: bigint, step: bigint): bigint {
  return ((value + step / 2n) / step) * step;
}

function roundUp(value: bigint, step: bigint): bigint {
  return ((value + step - 1n) / step) * step;
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

export function priceCar(car: CarToPrice, currentYear: number): PriceBreakdown {
  validateCar(car, currentYear);
  if (!Number.isSafeInteger(car.basePrice) || car.basePrice <= 0) {
    throw new RangeError(`catalog base price must be a positive whole number of pounds, got ${car.basePrice}`);
  }
  const basePrice = BigInt(car.basePrice);
  const ageYears = Math.max(0, currentYear - car.year);
  let retainedBps = BASIS;
  for (let year = 1; year <= ageYears; year++) retainedBps = (retainedBps * yearlyRetentionBps(year)) / BASIS;
  const adjustment = colorAdjustmentBps(car.color);
  const value = (basePrice * retainedBps * (BASIS + adjustment)) / (BASIS * BASIS);
  // Rounded up, so rounding never takes a price below the floor.
  const floor = roundUp(max(FLOOR_PRICE, (basePrice * FLOOR_SHARE_BPS) / BASIS), ROUND_TO);
  const rounded = roundHalfUp(value, ROUND_TO);
  const floorApplied = rounded < floor;
  const price = floorApplied ? floor : rounded;
  return { price, basePrice, ageYears, retainedBps, colorAdjustmentBps: adjustment, floorApplied };
}
