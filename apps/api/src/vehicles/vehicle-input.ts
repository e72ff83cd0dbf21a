/** A vehicle as every way in (HTTP, importer, demo seed) hands it to the store, checked by the shared field rules. */
import { latestModelYear, normaliseRegistration, vehicleFieldErrors, type FieldError } from "@forecourt/shared/contracts";
import { InvalidVehicleError } from "./errors.ts";

export { normaliseRegistration } from "@forecourt/shared/contracts";

export interface VehicleInput {
  registration: string;
  modelCode: string;
  color: string;
  year: number;
}

/** What a client sent; anything may be missing or of the wrong type. */
export interface RawVehicleInput {
  registration?: unknown;
  modelCode?: unknown;
  color?: unknown;
  year?: unknown;
}

/** Years are counted in UTC, as the price calculator counts them, so both agree on the latest year. */
export function maxYear(now: Date = new Date()): number {
  return latestModelYear(now.getUTCFullYear());
}

/** Every failing field at once, so a client fixes its request in one round. */
export function vehicleInputErrors(raw: RawVehicleInput, now: Date = new Date()): FieldError[] {
  return vehicleFieldErrors(raw, now.getUTCFullYear());
}

/** Validates and normalises; throws InvalidVehicleError naming every bad field. */
export function parseVehicleInput(raw: RawVehicleInput, now: Date = new Date()): VehicleInput {
  const errors = vehicleInputErrors(raw, now);
  if (errors.length) throw new InvalidVehicleError(errors);
  return {
    registration: normaliseRegistration(raw.registration as string),
    modelCode: raw.modelCode as string,
    color: (raw.color as string).trim(),
    year: raw.year as number,
  };
}
