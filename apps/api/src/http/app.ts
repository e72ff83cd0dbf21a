/** The HTTP app: its span and RED metrics, security headers and the edge (guards, problems) first, then health, metrics, catalog, vehicles and docs. */
import type { CatalogView } from "@forecourt/shared/catalog";
import { healthRoutes, httpTelemetry, metricsRoutes, securityHeaders, securityHeadersPlugin, type Logger, type ReadinessCheck } from "@forecourt/shared/platform";
import { Elysia } from "elysia";
import type { VehicleStore } from "../vehicles/vehicle-store.ts";
import { catalogRoutes } from "./catalog-routes.ts";
import { DOCS_PAGE_CSP, DOCS_PAGE_PATH, docsRoutes } from "./docs-routes.ts";
import { edge } from "./edge.ts";
import { vehicleRoutes } from "./vehicle-routes.ts";

export interface HttpDeps {
  store: VehicleStore;
  catalog: CatalogView;
  log: Logger;
  readiness: Record<string, ReadinessCheck>;
  version?: string;
}

// The docs page runs Swagger UI; every other answer is data, which may load nothing.
const DOCS_PAGE_HEADERS = securityHeaders(DOCS_PAGE_CSP);
const DATA_HEADERS = securityHeaders();
const headersFor = (path: string) => (path === DOCS_PAGE_PATH || path === `${DOCS_PAGE_PATH}/` ? DOCS_PAGE_HEADERS : DATA_HEADERS);

export function createHttp({ store, catalog, log, readiness, version = "0.1.0" }: HttpDeps) {
  return new Elysia({ serve: { maxRequestBodySize: 1024 * 1024 } })
    .use(httpTelemetry())
    .use(securityHeadersPlugin(headersFor))
    .use(edge(log))
    .use(healthRoutes("api", readiness))
    .use(metricsRoutes())
    .use(catalogRoutes(catalog))
    .use(vehicleRoutes({ store, catalog }))
    .use(docsRoutes(version));
}
