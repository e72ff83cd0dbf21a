/** The HTTP app: security headers and the edge (trace, guards, problems) first, then health, catalog, vehicles and docs. */
import type { CatalogView } from "@forecourt/shared/catalog";
import { healthRoutes, nativeLiveRoute, securityHeaders, securityHeadersPlugin, type Logger, type ReadinessCheck } from "@forecourt/shared/platform";
import { Elysia } from "elysia";
import type { VehicleStore } from "../vehicles/vehicle-store.ts";
import { catalogRoutes } from "./catalog-routes.ts";
import { DOCS_PAGE_CSP, DOCS_PAGE_PATH, docsRoutes } from "./docs-routes.ts";
import { edge } from "./edge.ts";
import { vehicleRoutes } from "./vehicle-routes.ts";

export interface HttpDeps {
  store: VehicleStore;
  /** Single-vehicle reads (answered from memory when the index vouches for them); the store's own get when absent. */
  reads?: Pick<VehicleStore, "get">;
  catalog: CatalogView;
  log: Logger;
  readiness: Record<string, ReadinessCheck>;
  version?: string;
}

// The docs page runs Swagger UI; every other answer is data, which may load nothing.
const DOCS_PAGE_HEADERS = securityHeaders(DOCS_PAGE_CSP);
const DATA_HEADERS = securityHeaders();
const headersFor = (path: string) => (path === DOCS_PAGE_PATH || path === `${DOCS_PAGE_PATH}/` ? DOCS_PAGE_HEADERS : DATA_HEADERS);

export function createHttp({ store, reads = store, catalog, log, readiness, version = "0.1.0" }: HttpDeps) {
  // Over a socket Bun answers /health/live itself; handle() (tests, no socket) still goes through the route.
  return new Elysia({ serve: { maxRequestBodySize: 1024 * 1024, routes: nativeLiveRoute("api", DATA_HEADERS) } })
    .use(securityHeadersPlugin(headersFor))
    .use(edge(log))
    .use(healthRoutes("api", readiness))
    .use(catalogRoutes(catalog))
    .use(vehicleRoutes({ store, reads, catalog }))
    .use(docsRoutes(version));
}
