/**
 * A vehicle's field rules and the list query's, declared once. The API builds its request schemas, its OpenAPI
 * document, the HAL `_actions` field descriptions and its 400 reasons from these; the importer and the demo seed
 * go through the same checks; the price calculator checks year and colour with the same functions. A contract,
 * not domain logic: it says what a car looks like to every service that receives one.
 */

/** One failing field and why, in words a client can act on. */
export interface FieldError {
  /** The request field that failed, e.g. "year" or "query.count". */
  field: string;
  reason: string;
}

export const VEHICLE_FIELDS = ["registration", "modelCode", "color", "year"] as const;
export type VehicleField = (typeof VEHICLE_FIELDS)[number];

/** A catalog code (manufacturer or model) as a client may send it. */
const CODE = { minLength: 1, maxLength: 64 } as const;

export const VEHICLE_RULES = {
  /** Letters and digits once normalised; `maxInputLength` bounds the string as sent, spaces and dashes included. */
  registration: { minLength: 1, maxLength: 10, maxInputLength: 64 },
  modelCode: CODE,
  /** As sent; stored trimmed, and blank is empty. */
  color: { minLength: 1, maxLength: 32 },
  /** The latest year is next year's (cars of next model year are sold now): see latestModelYear. */
  year: { minimum: 1900 },
} as const;

/** GET /api/vehicles: paging and filters. Filters compare, so they take any value a vehicle field could hold. */
export const LIST_QUERY_RULES = {
  index: { minimum: 0, maximum: 1_000_000_000, default: 0 },
  count: { minimum: 1, maximum: 100, default: 10 },
  manufacturer: CODE,
  model: CODE,
  color: VEHICLE_RULES.color,
  year: { minimum: 0, maximum: 9999 },
} as const;

const { registration, modelCode, color, year } = VEHICLE_RULES;
const { index, count } = LIST_QUERY_RULES;

/** How each field is described to clients: the OpenAPI schemas and the HAL `_actions` fields use these words. */
export const VEHICLE_FIELD_DOCS: Record<VehicleField, { type: "string" | "integer"; description: string; example: string | number }> = {
  registration: {
    type: "string",
    description: `${registration.minLength} to ${registration.maxLength} letters or digits once normalised (uppercased; spaces and punctuation dropped)`,
    example: "AB12 CDE",
  },
  modelCode: { type: "string", description: "a model code from /api/models", example: "ford-fiesta" },
  color: { type: "string", description: `${color.minLength} to ${color.maxLength} characters`, example: "Red" },
  year: { type: "integer", description: `${year.minimum} to next year`, example: 2019 },
};

export const LIST_QUERY_DOCS = {
  index: { description: `Offset of the first vehicle, ${index.minimum} or more`, example: 0 },
  count: { description: `Page size, ${count.minimum} to ${count.maximum}`, example: 10 },
  manufacturer: { description: "Only this manufacturer's cars (code)", example: "ford" },
  model: { description: "Only this model (code)", example: "ford-fiesta" },
  color: { description: "Only this colour (any case)", example: "red" },
  year: { description: "Only this year", example: 2019 },
} as const;

/** Uppercase, non-alphanumerics stripped: "ab12 cde" and "AB-12-CDE" are one car, AB12CDE. */
export function normaliseRegistration(raw: string): string {
  return raw.toUpperCase().replace(/[^A-Z0-9]/g, "");
}

/** The newest model year on sale in `currentYear`. */
export function latestModelYear(currentYear: number): number {
  return currentYear + 1;
}

// Each check answers why a value breaks its field's rule, or undefined when it keeps it.

export function registrationReason(raw: unknown): string | undefined {
  if (typeof raw !== "string") return "must be a string";
  if (raw.length > registration.maxInputLength) return `must be at most ${registration.maxInputLength} characters as sent, got ${raw.length}`;
  const length = normaliseRegistration(raw).length;
  if (length < registration.minLength || length > registration.maxLength)
    return `must hold ${registration.minLength} to ${registration.maxLength} letters or digits, got ${length}`;
}

export function modelCodeReason(raw: unknown): string | undefined {
  if (typeof raw !== "string" || raw.length < modelCode.minLength) return "must be a non-empty string";
  if (raw.length > modelCode.maxLength) return `must be at most ${modelCode.maxLength} characters, got ${raw.length}`;
}

export function colorReason(raw: unknown): string | undefined {
  if (typeof raw !== "string") return "must be a string";
  // Too long counts as sent (what the request schema sees); blank counts trimmed (what is stored).
  const length = raw.length > color.maxLength ? raw.length : raw.trim().length;
  if (length < color.minLength || length > color.maxLength) return `must be ${color.minLength} to ${color.maxLength} characters, got ${length}`;
}

/** `currentYear` is the calendar year now (UTC); next year's cars are already on sale. */
export function yearReason(raw: unknown, currentYear: number): string | undefined {
  if (typeof raw !== "number" || !Number.isInteger(raw)) return "must be an integer";
  const latest = latestModelYear(currentYear);
  if (raw < year.minimum || raw > latest) return `must be ${year.minimum} to ${latest}, got ${raw}`;
}

const VEHICLE_CHECKS: Record<VehicleField, (raw: unknown, currentYear: number) => string | undefined> = {
  registration: registrationReason,
  modelCode: modelCodeReason,
  color: colorReason,
  year: yearReason,
};

/** Every failing field at once (in VEHICLE_FIELDS order), so a client fixes its request in one round. */
export function vehicleFieldErrors(raw: Partial<Record<VehicleField, unknown>>, currentYear: number, fields: readonly VehicleField[] = VEHICLE_FIELDS): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of fields) {
    const reason = VEHICLE_CHECKS[field](raw[field], currentYear);
    if (reason !== undefined) errors.push({ field, reason });
  }
  return errors;
}

/** A whole number as a query string spells it (digits only), or undefined. */
const queryInteger = (raw: string) => (/^\d{1,10}$/.test(raw.trim()) ? Number(raw) : undefined);

/** GET /api/vehicles' query in words a client can act on (Elysia's own messages lose field names). */
export function listQueryErrors(query: URLSearchParams): FieldError[] {
  const errors: FieldError[] = [];
  const between = (raw: string, { minimum, maximum }: { minimum: number; maximum: number }) => {
    const value = queryInteger(raw);
    return value !== undefined && value >= minimum && value <= maximum;
  };
  const rawIndex = query.get("index");
  if (rawIndex !== null && !between(rawIndex, index))
    errors.push({ field: "query.index", reason: `must be an integer ${index.minimum} or more, got "${rawIndex}"` });
  const rawCount = query.get("count");
  if (rawCount !== null && !between(rawCount, count))
    errors.push({ field: "query.count", reason: `must be an integer ${count.minimum} to ${count.maximum}, got "${rawCount}"` });
  const rawYear = query.get("year");
  if (rawYear !== null && !between(rawYear, LIST_QUERY_RULES.year)) errors.push({ field: "query.year", reason: `must be a year such as ${LIST_QUERY_DOCS.year.example}, got "${rawYear}"` });
  for (const field of ["manufacturer", "model", "color"] as const) {
    const value = query.get(field);
    const { minLength, maxLength } = LIST_QUERY_RULES[field];
    if (value !== null && (value.length < minLength || value.length > maxLength)) errors.push({ field: `query.${field}`, reason: `must be ${minLength} to ${maxLength} characters` });
  }
  return errors;
}
