/** Registration normalising and the field rules every way in (HTTP, importer, demo seed) shares. */
import type { FieldError } from "./errors.ts";
import { InvalidVehicleError } from "./errors.ts";

export const MIN_YEAR = 1900;
export const MAX_REGISTRATION = 10;
export const MAX_COLOR = 32;

/** Uppercase, non-alphanumerics stripped: "ab12 cde" and "AB-12-CDE" are one car, AB12CDE. */
export function normaliseRegistration(raw: string): string {
  return raw.toUpperCase().replace(/[^A-Z0-9]/g, "");
}

export function maxYear(now: Date = new Date()): number {
  return now.getUTCFullYear() + 1;
}

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

/** Every failing field at once, so a client fixes its request in one round. */
export function vehicleInputErrors(raw: RawVehicleInput, now: Date = new Date()): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof raw.registration !== "string") errors.push({ field: "registration", reason: "must be a string" });
  else {
    const registration = normaliseRegistration(raw.registration);
    if (registration.length < 1 || registration.length > MAX_REGISTRATION)
      errors.push({ field: "registration", reason: `must hold 1 to ${MAX_REGISTRATION} letters or digits, got ${registration.length}` });
  }
  if (typeof raw.modelCode !== "string" || raw.modelCode.length === 0)
    errors.push({ field: "modelCode", reason: "must be a non-empty string" });
  if (typeof raw.color !== "string") errors.push({ field: "color", reason: "must be a string" });
  else {
    const length = raw.color.trim().length;
    if (length < 1 || length > MAX_COLOR) errors.push({ field: "color", reason: `must be 1 to ${MAX_COLOR} characters, got ${length}` });
  }
  if (typeof raw.year !== "number" || !Number.isInteger(raw.year)) errors.push({ field: "year", reason: "must be an integer" });
  else if (raw.year < MIN_YEAR || raw.year > maxYear(now))
    errors.push({ field: "year", reason: `must be ${MIN_YEAR} to ${maxYear(now)}, got ${raw.year}` });
  return errors;
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
