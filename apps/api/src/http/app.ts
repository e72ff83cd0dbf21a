/** The HTTP app: edge (trace, guards, problems) first, then health, catalog, vehicles and docs. */
import type { CatalogView } from "@forecourt/shared/catalog";
import { healthRoutes, type Logger, type ReadinessCheck } from "@forecourt/shared/platform";
import { Elysia } from "elysia";
import type { VehicleStore } from "../vehicles/vehicle-store.ts";
import { catalogRoutes } from "./catalog-routes.ts";
import { docsRoutes } from "./docs-routes.ts";
import { edge } from "./edge.ts";
import { vehicleRoutes } from "./vehicle-routes.ts";

export interface HttpDeps {
  store: VehicleStore;
  catalog: CatalogView;
  log: Logger;
  readiness: Record<string, ReadinessCheck>;
  version?: string;
}

export function createHttp({ store, catalog, log, readiness, version = "0.1.0" }: HttpDeps) {
  return new Elysia({ serve: { maxRequestBodySize: 1024 * 1024 } })
    .use(edge(log))
    .use(healthRoutes("api", readiness))
    .use(catalogRoutes(catalog))
    .use(vehicleRoutes({ store, catalog }))
    .use(docsRoutes(version));
}
