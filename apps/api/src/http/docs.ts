/**
 * OpenAPI building blocks: request schemas (which Elysia also validates with), and a described,
 * exemplified response for every status each route can answer. Examples are built by the same functions
 * that build real responses, so they cannot drift.
 */
import { SEED_CATALOG } from "@forecourt/shared/catalog";
import { LIST_QUERY_DOCS, LIST_QUERY_RULES, listQueryErrors, VEHICLE_FIELD_DOCS, VEHICLE_RULES, yearReason } from "@forecourt/shared/contracts";
import { problem, PROBLEM_CONTENT_TYPE, RETRY_AFTER_SECONDS } from "@forecourt/shared/platform";
import { t } from "elysia";
import type { OpenAPIV3 } from "openapi-types";
import type { StoredVehicle } from "../vehicles/stored-vehicle.ts";
import { createVehicleAction, manufacturerResource, manufacturerSummary, modelResource, modelSummary, pageLinks, vehicleResource, vehicleSummary } from "./hal.ts";
import { HAL_CONTENT_TYPE, MAX_BODY_BYTES } from "./edge.ts";

const fiesta = SEED_CATALOG.models.find((m) => m.code === "ford-fiesta")!;
const ford = SEED_CATALOG.manufacturers.find((m) => m.code === "ford")!;
export const EXAMPLE_VEHICLE: StoredVehicle = {
  registration: "AB12CDE",
  manufacturerCode: "ford",
  manufacturerName: "Ford",
  modelCode: "ford-fiesta",
  modelName: "Fiesta",
  color: "Red",
  year: 2019,
  listedAt: "2026-01-15T10:30:00.000Z",
  dealer: "autobarn",
  price: { amount: 11_250, currencyCode: "GBP", pricedAt: "2026-01-15T10:30:01.000Z" },
};

// ---- request schemas: bounds and words from the shared vehicle rules --------------------------------
const R = VEHICLE_RULES;
const Q = LIST_QUERY_RULES;
const doc = ({ description, example }: { description: string; example: string | number }) => ({ description, example });
// Only what JSON Schema can say: the checks that need normalising, trimming or today's date (the latest year)
// run in the domain after these (vehicle-input.ts), with the same rules.
const registration = t.String({ minLength: R.registration.minLength, maxLength: R.registration.maxInputLength, ...doc(VEHICLE_FIELD_DOCS.registration) });
const color = t.String({ minLength: R.color.minLength, maxLength: R.color.maxLength, ...doc(VEHICLE_FIELD_DOCS.color) });
const year = t.Integer({ minimum: R.year.minimum, ...doc(VEHICLE_FIELD_DOCS.year) });
const modelCode = t.String({ minLength: R.modelCode.minLength, maxLength: R.modelCode.maxLength, ...doc(VEHICLE_FIELD_DOCS.modelCode) });

export const modelVehicleBody = t.Object({ registration, color, year }, { description: "The car to list under the model in the path", example: { registration: "AB12CDE", color: "Red", year: 2019 } });
export const vehicleBody = t.Object({ registration, modelCode, color, year }, { description: "The car to list", example: { registration: "AB12CDE", modelCode: "ford-fiesta", color: "Red", year: 2019 } });
export const replaceBody = t.Object({ modelCode, color, year }, { description: "The car's new details; the registration is the one in the path", example: { modelCode: "ford-fiesta", color: "Blue", year: 2019 } });
export const registrationParams = t.Object({ registration: t.String({ description: "Registration, any case, spaces and dashes allowed", example: "AB12CDE" }) });
export const codeParams = (what: string, example: string) => t.Object({ code: t.String({ description: `${what} code`, example }) });
export const modelCodeParams = t.Object({ modelCode: t.String({ description: "Model code", example: "ford-fiesta" }) });

export const listQuery = t.Object({
  index: t.Optional(t.Integer({ ...Q.index, ...LIST_QUERY_DOCS.index })),
  count: t.Optional(t.Integer({ ...Q.count, ...LIST_QUERY_DOCS.count })),
  manufacturer: t.Optional(t.String({ ...Q.manufacturer, ...LIST_QUERY_DOCS.manufacturer })),
  model: t.Optional(t.String({ ...Q.model, ...LIST_QUERY_DOCS.model })),
  color: t.Optional(t.String({ ...Q.color, ...LIST_QUERY_DOCS.color })),
  year: t.Optional(t.Integer({ ...Q.year, ...LIST_QUERY_DOCS.year })),
});

// ---- response documentation -----------------------------------------------------------------------
const link = t.Object({ href: t.String() });
const problemSchema = t.Object({
  type: t.String(),
  title: t.String(),
  status: t.Integer(),
  detail: t.String(),
  instance: t.Optional(t.String()),
  errors: t.Optional(t.Array(t.Object({ field: t.String(), reason: t.String() }), { description: "Each failing field and why (400, 422)" })),
});
const vehicleSchema = t.Object({
  registration: t.String(),
  manufacturerCode: t.String(),
  manufacturerName: t.String(),
  modelCode: t.String(),
  modelName: t.String(),
  color: t.String(),
  year: t.Integer(),
  listedAt: t.String({ format: "date-time" }),
  dealer: t.String({ description: "The dealer who listed the car: the only one who may change or remove it" }),
  updatedAt: t.Optional(t.String({ format: "date-time" })),
  price: t.Optional(t.Object({ amount: t.Integer(), currencyCode: t.String() }, { description: "Present once the pricer has priced the car" })),
  _links: t.Object({ self: link, model: link, manufacturer: link }),
  _actions: t.Object({}, { additionalProperties: true, description: "update (PUT) and delete (DELETE)" }),
});
const halObject = t.Object({ _links: t.Object({}, { additionalProperties: true }) }, { additionalProperties: true });

const traceparentHeader: Record<string, OpenAPIV3.HeaderObject> = {
  traceparent: { description: "W3C trace context of this request (echoed or started here)", schema: { type: "string" } },
};

export function halDoc(description: string, example: unknown, schema: object = halObject, headers: Record<string, OpenAPIV3.HeaderObject> = {}): OpenAPIV3.ResponseObject {
  return { description, headers: { ...traceparentHeader, ...headers }, content: { [HAL_CONTENT_TYPE]: { schema: schema as OpenAPIV3.SchemaObject, example } } };
}

const problemDoc = (status: number, description: string, detail: string, extra: Record<string, unknown> = {}): OpenAPIV3.ResponseObject => ({
  description,
  headers: traceparentHeader,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema as OpenAPIV3.SchemaObject, example: problem(status, detail, extra) } },
});

// Built by the checks that build real answers, so the examples say what a client will see.
const badQuery = listQueryErrors(new URLSearchParams({ count: "500" }));
const badYear = yearReason(1850, new Date().getUTCFullYear())!;

export const problems = {
  invalidQuery: problemDoc(400, "A query parameter is out of range or of the wrong type", `the request is invalid: ${badQuery.map((e) => `${e.field} ${e.reason}`).join("; ")}`, {
    instance: "/api/vehicles",
    errors: badQuery,
  }),
  invalidBody: problemDoc(400, "Malformed JSON, or a field is missing, of the wrong type or out of range; `errors` lists each field", `the request is invalid: year: ${badYear}`, {
    instance: "/api/vehicles",
    errors: [{ field: "year", reason: badYear }],
  }),
  vehicleNotFound: problemDoc(404, "No vehicle has this registration", "no vehicle with registration AB12CDE", { instance: "/api/vehicles/AB12CDE" }),
  modelNotFound: problemDoc(404, "No model has this code", "no model with code ford-model-t", { instance: "/api/models/ford-model-t" }),
  manufacturerNotFound: problemDoc(404, "No manufacturer has this code", "no manufacturer with code trabant", { instance: "/api/manufacturers/trabant" }),
  exists: problemDoc(409, "A vehicle with this registration already exists (or is being removed)", "a vehicle with registration AB12CDE already exists", { instance: "/api/vehicles" }),
  busy: problemDoc(409, "The vehicle is being removed; retry shortly", "vehicle AB12CDE is being removed; retry shortly", { instance: "/api/vehicles/AB12CDE" }),
  tooLarge: problemDoc(413, `The body is over ${MAX_BODY_BYTES} bytes`, `request bodies may hold at most ${MAX_BODY_BYTES} bytes, got 20000`, { instance: "/api/vehicles" }),
  notJson: problemDoc(415, "The body is not declared as application/json", 'request bodies must be application/json, got "text/plain"', { instance: "/api/vehicles" }),
  unauthorized: {
    ...problemDoc(401, "No dealer's key, or one that is malformed, unknown or revoked", "the Authorization header holds no valid dealer key (it is malformed, unknown or revoked)", { instance: "/api/vehicles" }),
    headers: { ...traceparentHeader, "WWW-Authenticate": { description: 'Bearer realm="forecourt", with error="invalid_token" when a key was sent', schema: { type: "string" } } },
  } as OpenAPIV3.ResponseObject,
  notOwner: problemDoc(403, "The car was listed by another dealer; only that dealer may change or remove it", "vehicle AB12CDE was listed by another dealer; only that dealer may change or remove it", { instance: "/api/vehicles/AB12CDE" }),
  rateLimited: {
    ...problemDoc(429, "The dealer is over its write rate", "dealer autobarn is over its write rate; retry in 1 s", { instance: "/api/vehicles" }),
    headers: { ...traceparentHeader, "Retry-After": { description: "Seconds until the dealer may write again", schema: { type: "integer" } } },
  } as OpenAPIV3.ResponseObject,
  unknownModel: problemDoc(422, "The body is well-formed but its modelCode is not in the catalog", 'modelCode "ford-model-t" is not in the catalog; see /api/models', {
    instance: "/api/vehicles",
    errors: [{ field: "modelCode", reason: "is not in the catalog" }],
  }),
  unavailable: {
    ...problemDoc(503, "NATS is unreachable or restarting, or the vehicles bucket is missing: nothing was done; retry after Retry-After seconds", `the vehicle store is unavailable (NATS is disconnected); retry in ${RETRY_AFTER_SECONDS} s`, { instance: "/api/vehicles" }),
    headers: { ...traceparentHeader, "retry-after": { description: "Seconds to wait before retrying (RFC 9110)", schema: { type: "integer" } } },
  } satisfies OpenAPIV3.ResponseObject,
  internal: problemDoc(500, "Something failed on the server; details are in its logs under the trace id", "something went wrong on our side; the request id is in the traceparent header"),
};

export const examples = {
  vehicle: vehicleResource(EXAMPLE_VEHICLE),
  vehicleSchema,
  page: {
    _links: pageLinks(10, 10, 200),
    _actions: { create: createVehicleAction() },
    index: 10,
    count: 10,
    total: 200,
    items: [vehicleSummary(EXAMPLE_VEHICLE)],
  },
  model: modelResource(fiesta),
  models: { _links: { self: { href: "/api/models" } }, count: 1, items: [modelSummary(fiesta)] },
  manufacturer: manufacturerResource(ford, [fiesta]),
  manufacturers: { _links: { self: { href: "/api/manufacturers" } }, count: 1, items: [manufacturerSummary(ford)] },
  location: { Location: { description: "URL of the new vehicle", schema: { type: "string", example: "/api/vehicles/AB12CDE" } } } as Record<string, OpenAPIV3.HeaderObject>,
};
