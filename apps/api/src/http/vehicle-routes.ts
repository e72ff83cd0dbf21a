/** /api/vehicles and POST /api/models/{code}: the dealer's reads and writes. */
import type { CatalogView } from "@forecourt/shared/catalog";
import { LIST_QUERY_RULES, registrationReason } from "@forecourt/shared/contracts";
import { Elysia } from "elysia";
import { requestDealer } from "../dealers/dealer-auth.ts";
import { ModelNotFoundError, VehicleNotFoundError } from "../vehicles/errors.ts";
import { normaliseRegistration, parseVehicleInput } from "../vehicles/vehicle-input.ts";
import type { VehicleStore } from "../vehicles/vehicle-store.ts";
import type { VehicleWatch } from "../vehicles/vehicle-watch.ts";
import { codeParams, examples, halDoc, listQuery, modelVehicleBody, problems, registrationParams, replaceBody, vehicleBody } from "./docs.ts";
import { DEALER_KEY_SCHEME } from "./docs-routes.ts";
import { hal, noContent } from "./edge.ts";
import { UnknownModelError } from "./errors.ts";
import { createVehicleAction, pageLinks, vehicleHref, vehicleResource, vehicleSummary } from "./hal.ts";

export interface VehicleRoutesDeps {
  store: VehicleStore;
  /** Lists come from the index that follows the bucket. */
  list: Pick<VehicleWatch, "page">;
  catalog: CatalogView;
  /** Throws when the store cannot be reached now, before any route touches it. */
  guard?: () => void;
}

const ORDER = "Vehicles are listed in ascending order of normalised registration (code-unit order: digits before letters).";
/** Every write: a dealer's key (OpenAPI security requirement). */
const DEALER_ONLY = [{ [DEALER_KEY_SCHEME]: [] }];

/** A path registration that cannot exist after normalising is simply not found. */
function pathRegistration(raw: string): string {
  const registration = normaliseRegistration(raw);
  if (registrationReason(registration) !== undefined) throw new VehicleNotFoundError(registration || raw);
  return registration;
}

/** In a body, an unknown model is a semantic error (422), unlike in a path (404). */
function unknownModelIs422(error: unknown): never {
  if (error instanceof ModelNotFoundError) throw new UnknownModelError(error.modelCode, { cause: error });
  throw error;
}

export function vehicleRoutes({ store, list, catalog, guard }: VehicleRoutesDeps) {
  return new Elysia({ name: "vehicle-routes" })
    .onBeforeHandle(() => guard?.())
    .get(
      "/api/vehicles",
      async ({ request, query }) => {
        const index = query.index ?? LIST_QUERY_RULES.index.default;
        const count = query.count ?? LIST_QUERY_RULES.count.default;
        const filter = { manufacturer: query.manufacturer, model: query.model, color: query.color, year: query.year };
        const page = await list.page(filter, index, count);
        return hal(request, {
          _links: pageLinks(index, count, page.total, filter),
          _actions: { create: createVehicleAction() },
          index,
          count,
          total: page.total,
          items: page.items.map(vehicleSummary),
        });
      },
      {
        query: listQuery,
        detail: {
          tags: ["vehicles"],
          summary: "List vehicles, a page at a time",
          description: `${ORDER} Links: self, first, previous (only when index > 0), next (only when more remain), final (the last non-empty page); every link keeps the filters. The cost of a page does not grow with its index.`,
          responses: { 200: halDoc("One page of vehicles with paging links", examples.page), 400: problems.invalidQuery, 503: problems.unavailable, 500: problems.internal },
        },
      },
    )
    .get(
      "/api/vehicles/:registration",
      async ({ request, params }) => hal(request, vehicleResource(await store.get(pathRegistration(params.registration)))),
      {
        params: registrationParams,
        detail: {
          tags: ["vehicles"],
          summary: "One vehicle",
          description: "The vehicle with links to its model and manufacturer, the update and delete actions, and its price once priced.",
          responses: { 200: halDoc("The vehicle", examples.vehicle, examples.vehicleSchema), 404: problems.vehicleNotFound, 503: problems.unavailable, 500: problems.internal },
        },
      },
    )
    .post(
      "/api/vehicles",
      async ({ request, body }) => {
        const input = parseVehicleInput(body);
        const vehicle = await store.create(input, requestDealer(request)).catch(unknownModelIs422);
        return hal(request, vehicleResource(vehicle), 201, { Location: vehicleHref(vehicle.registration) });
      },
      {
        parse: "application/json",
        body: vehicleBody,
        detail: {
          tags: ["vehicles"],
          summary: "List a vehicle",
          description: "Creates the vehicle, owned by the dealer whose key the request carries, and publishes forecourt.vehicles.listed.<manufacturer>.<model>.<participant>. A 201 means the event will reach subscribers even if the API dies right after answering.",
          security: DEALER_ONLY,
          responses: {
            201: halDoc("The vehicle was listed", examples.vehicle, examples.vehicleSchema, examples.location),
            400: problems.invalidBody,
            401: problems.unauthorized,
            409: problems.exists,
            413: problems.tooLarge,
            415: problems.notJson,
            422: problems.unknownModel,
            429: problems.rateLimited,
            503: problems.unavailable,
            500: problems.internal,
          },
        },
      },
    )
    .post(
      "/api/models/:code",
      async ({ request, params, body }) => {
        const model = catalog.model(params.code);
        if (!model) throw new ModelNotFoundError(params.code);
        const input = parseVehicleInput({ ...body, modelCode: model.code });
        const vehicle = await store.create(input, requestDealer(request));
        return hal(request, vehicleResource(vehicle), 201, { Location: vehicleHref(vehicle.registration) });
      },
      {
        parse: "application/json",
        params: codeParams("Model", "ford-fiesta"),
        body: modelVehicleBody,
        detail: {
          tags: ["models", "vehicles"],
          summary: "List a vehicle of this model",
          description: "The action a model resource's `_actions.create` describes: lists a car owned by the dealer whose key the request carries. Publishes forecourt.vehicles.listed.<manufacturer>.<model>.<participant>.",
          security: DEALER_ONLY,
          responses: {
            201: halDoc("The vehicle was listed", examples.vehicle, examples.vehicleSchema, examples.location),
            400: problems.invalidBody,
            401: problems.unauthorized,
            404: problems.modelNotFound,
            409: problems.exists,
            413: problems.tooLarge,
            415: problems.notJson,
            429: problems.rateLimited,
            503: problems.unavailable,
            500: problems.internal,
          },
        },
      },
    )
    .put(
      "/api/vehicles/:registration",
      async ({ request, params, body }) => {
        const input = parseVehicleInput({ ...body, registration: params.registration });
        const { vehicle, created } = await store.replace(input, requestDealer(request)).catch(unknownModelIs422);
        const headers: Record<string, string> = created ? { Location: vehicleHref(vehicle.registration) } : {};
        return hal(request, vehicleResource(vehicle), created ? 201 : 200, headers);
      },
      {
        parse: "application/json",
        params: registrationParams,
        body: replaceBody,
        detail: {
          tags: ["vehicles"],
          summary: "Create or replace a vehicle",
          description: "Creates the vehicle (201, event `listed`, owned by the dealer whose key the request carries) or replaces its model, colour and year (200, event `updated`; the listing date and dealer are kept). Only the dealer who listed a car may replace it (403 otherwise).",
          security: DEALER_ONLY,
          responses: {
            200: halDoc("The vehicle was replaced", examples.vehicle, examples.vehicleSchema),
            201: halDoc("The vehicle was created", examples.vehicle, examples.vehicleSchema, examples.location),
            400: problems.invalidBody,
            401: problems.unauthorized,
            403: problems.notOwner,
            409: problems.busy,
            413: problems.tooLarge,
            415: problems.notJson,
            422: problems.unknownModel,
            429: problems.rateLimited,
            503: problems.unavailable,
            500: problems.internal,
          },
        },
      },
    )
    .delete(
      "/api/vehicles/:registration",
      async ({ request, params }) => {
        await store.remove(pathRegistration(params.registration), requestDealer(request));
        return noContent(request);
      },
      {
        params: registrationParams,
        detail: {
          tags: ["vehicles"],
          summary: "Take a vehicle off the forecourt",
          description: "Removes the vehicle and publishes forecourt.vehicles.removed.<manufacturer>.<model>.<participant>. Only the dealer who listed it may remove it (403 otherwise).",
          security: DEALER_ONLY,
          responses: {
            204: { description: "The vehicle was removed", headers: { traceparent: { schema: { type: "string" } } } },
            401: problems.unauthorized,
            403: problems.notOwner,
            404: problems.vehicleNotFound,
            429: problems.rateLimited,
            503: problems.unavailable,
            500: problems.internal,
          },
        },
      },
    );
}
