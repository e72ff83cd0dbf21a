/** Rules of GET /api/vehicles' query, in words a client can act on (Elysia's own messages lose field names). */
import type { FieldError } from "../vehicles/errors.ts";
import { MAX_COLOR } from "../vehicles/vehicle-input.ts";

export const MAX_COUNT = 100;

const integer = (raw: string) => (/^\d{1,10}$/.test(raw.trim()) ? Number(raw) : undefined);

export function listQueryErrors(query: URLSearchParams): FieldError[] {
  const errors: FieldError[] = [];
  const index = query.get("index");
  if (index !== null && (integer(index) === undefined || integer(index)! > 1_000_000_000))
    errors.push({ field: "query.index", reason: `must be an integer 0 or more, got "${index}"` });
  const count = query.get("count");
  if (count !== null && !(integer(count)! >= 1 && integer(count)! <= MAX_COUNT))
    errors.push({ field: "query.count", reason: `must be an integer 1 to ${MAX_COUNT}, got "${count}"` });
  const year = query.get("year");
  if (year !== null && !(integer(year)! <= 9999)) errors.push({ field: "query.year", reason: `must be a year such as 2019, got "${year}"` });
  for (const [field, max] of [["manufacturer", 64], ["model", 64], ["color", MAX_COLOR]] as const) {
    const value = query.get(field);
    if (value !== null && (value.length < 1 || value.length > max)) errors.push({ field: `query.${field}`, reason: `must be 1 to ${max} characters` });
  }
  return errors;
}
