/** GET /api (the entry point), /api/models and /api/manufacturers: the catalog, read from its live KV view. */
import type { CatalogView } from "@forecourt/shared/catalog";
import { Elysia } from "elysia";
import { ManufacturerNotFoundError, ModelNotFoundError } from "../vehicles/errors.ts";
import { codeParams, examples, halDoc, problems } from "./docs.ts";
import { hal } from "./edge.ts";
import { API, createVehicleAction, manufacturerResource, manufacturerSummary, modelResource, modelSummary, vehiclesHref } from "./hal.ts";

const WELCOME = {
  message: "Welcome to the Forecourt dealer API. Follow the links.",
  _links: {
    self: { href: API },
    vehicles: { href: vehiclesHref(0, 10) },
    models: { href: `${API}/models` },
    manufacturers: { href: `${API}/manufacturers` },
    docs: { href: "/swagger", title: "API documentation (OpenAPI at /swagger/json)" },
  },
  _actions: { create: createVehicleAction() },
};

export function catalogRoutes(catalog: CatalogView) {
  return new Elysia({ name: "catalog-routes" })
    .get("/api", ({ request }) => hal(request, WELCOME), {
      detail: {
        tags: ["api"],
        summary: "The entry point",
        description: "Links to vehicles, models, manufacturers and these docs: a client needs no other URL.",
        responses: { 200: halDoc("Welcome, with links", WELCOME), 500: problems.internal },
      },
    })
    .get(
      "/api/models",
      ({ request }) => {
        const items = catalog.models().map(modelSummary);
        return hal(request, { _links: { self: { href: `${API}/models` } }, count: items.length, items });
      },
      {
        detail: {
          tags: ["models"],
          summary: "Every model in the catalog",
          description: "Sorted by code. Each item links to the model, whose `_actions.create` lists a car of it.",
          responses: { 200: halDoc("The models", examples.models), 500: problems.internal },
        },
      },
    )
    .get(
      "/api/models/:code",
      ({ request, params }) => {
        const model = catalog.model(params.code);
        if (!model) throw new ModelNotFoundError(params.code);
        return hal(request, modelResource(model));
      },
      {
        params: codeParams("Model", "ford-fiesta"),
        detail: {
          tags: ["models"],
          summary: "One model",
          description: "The model with its base price (whole pounds), links to its manufacturer and vehicles, and `_actions.create`.",
          responses: { 200: halDoc("The model", examples.model), 404: problems.modelNotFound, 500: problems.internal },
        },
      },
    )
    .get(
      "/api/manufacturers",
      ({ request }) => {
        const items = catalog.manufacturers().map(manufacturerSummary);
        return hal(request, { _links: { self: { href: `${API}/manufacturers` } }, count: items.length, items });
      },
      {
        detail: {
          tags: ["manufacturers"],
          summary: "Every manufacturer",
          description: "Sorted by code.",
          responses: { 200: halDoc("The manufacturers", examples.manufacturers), 500: problems.internal },
        },
      },
    )
    .get(
      "/api/manufacturers/:code",
      ({ request, params }) => {
        const manufacturer = catalog.manufacturer(params.code);
        if (!manufacturer) throw new ManufacturerNotFoundError(params.code);
        return hal(request, manufacturerResource(manufacturer, catalog.modelsOf(manufacturer.code)));
      },
      {
        params: codeParams("Manufacturer", "ford"),
        detail: {
          tags: ["manufacturers"],
          summary: "One manufacturer",
          description: "The manufacturer with a link to each of its models and to its vehicles.",
          responses: { 200: halDoc("The manufacturer", examples.manufacturer), 404: problems.manufacturerNotFound, 500: problems.internal },
        },
      },
    );
}
