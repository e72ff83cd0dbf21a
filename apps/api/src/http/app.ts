/** The HTTP app: security headers and the edge (trace, guards, problems) first, then health, catalog, vehicles and docs. */
import type { CatalogView } from "@forecourt/shared/catalog";
import { healthRoutes, securityHeaders, securityHeadersPlugin, type Logger, type ReadinessCheck } from "@forecourt/shared/platform";
import { Elysia } from "elysia";
import type { VehicleStore } from "../vehicles/vehicle-store.ts";
import type { VehicleWatch } from "../vehicles/vehicle-watch.ts";
import { catalogRoutes } from "./catalog-routes.ts";
import { DOCS_PAGE_CSP, DOCS_PAGE_PATH, docsRoutes } from "./docs-routes.ts";
import { edge } from "./edge.ts";
import { vehicleRoutes } from "./vehicle-routes.ts";

export interface HttpDeps {
  store: VehicleStore;
  list: Pick<VehicleWatch, "page">;
  catalog: CatalogView;
  log: Logger;
  readiness: Record<string, ReadinessCheck>;
  /** The app's version (package.json), shown in the OpenAPI document. */
  version: string;
}

// The docs page runs Swagger UI; every other answer is data, which may load nothing.
const DOCS_PAGE_HEADERS = securityHeaders(DOCS_PAGE_CSP);
const DATA_HEADERS = securityHeaders();
const headersFor = (path: string) => (path === DOCS_PAGE_PATH || path === `${DOCS_PAGE_PATH}/` ? DOCS_PAGE_HEADERS : DATA_HEADERS);

export function createHttp({ store, list, catalog, log, readiness, version }: HttpDeps) {
  return new Elysia({ serve: { maxRequestBodySize: 1024 * 1024 } })
    .use(securityHeadersPlugin(headersFor))
    .use(edge(log))
    .use(healthRoutes("api", readiness))
    .use(catalogRoutes(catalog))
    .use(vehicleRoutes({ store, list, catalog }))
    .use(docsRoutes(version));
}
