/**
 * The HTTP app: its span and RED metrics, security headers and the edge (guards, problems) first, then dealers' keys
 * on writes, then health, metrics, catalog, vehicles and docs.
 */
import type { CatalogView } from "@forecourt/shared/catalog";
import { DependencyUnavailableError, type Logger, type Readiness } from "@forecourt/shared/platform";
import { healthRoutes, httpTelemetry, metricsRoutes, nativeLiveRoute, securityHeaders, securityHeadersPlugin, type ReadinessCheck } from "@forecourt/shared/platform/http";
import { Elysia } from "elysia";
import { dealerAuth, type DealerAuthDeps } from "../dealers/dealer-auth.ts";
import type { VehicleStore } from "../vehicles/vehicle-store.ts";
import type { VehicleWatch } from "../vehicles/vehicle-watch.ts";
import { catalogRoutes } from "./catalog-routes.ts";
import { DOCS_PAGE_CSP, DOCS_PAGE_PATH, docsRoutes } from "./docs-routes.ts";
import { edge } from "./edge.ts";
import { VEHICLE_DEPENDENCIES } from "../readiness.ts";
import { vehicleRoutes } from "./vehicle-routes.ts";

export interface HttpDeps {
  store: VehicleStore;
  /** Single-vehicle reads (answered from memory when the index vouches for them); the store's own get when absent. */
  reads?: Pick<VehicleStore, "get">;
  list: Pick<VehicleWatch, "page">;
  catalog: CatalogView;
  log: Logger;
  readiness: Readiness | Record<string, ReadinessCheck>;
  /** Who may write: dealers' keys and their write rate. */
  auth: DealerAuthDeps;
  /** The app's version (package.json), shown in the OpenAPI document. */
  version: string;
}

// The docs page runs Swagger UI; every other answer is data, which may load nothing.
const DOCS_PAGE_HEADERS = securityHeaders(DOCS_PAGE_CSP);
const DATA_HEADERS = securityHeaders();
const headersFor = (path: string) => (path === DOCS_PAGE_PATH || path === `${DOCS_PAGE_PATH}/` ? DOCS_PAGE_HEADERS : DATA_HEADERS);

/** Refuses vehicle requests at once (503) while NATS is disconnected or the vehicles bucket is known to be gone. */
function dependencyGuard(readiness: HttpDeps["readiness"]): (() => void) | undefined {
  if (typeof (readiness as Readiness).blocked !== "function") return undefined;
  return () => {
    const reason = (readiness as Readiness).blocked(VEHICLE_DEPENDENCIES);
    if (reason) throw new DependencyUnavailableError(reason);
  };
}

export function createHttp({ store, reads = store, list, catalog, log, readiness, auth, version }: HttpDeps) {
  const guard = dependencyGuard(readiness);
  // Over a socket Bun answers /health/live itself; handle() (tests, no socket) still goes through the route.
  return new Elysia({ serve: { maxRequestBodySize: 1024 * 1024, routes: nativeLiveRoute("api", DATA_HEADERS) } })
    .use(httpTelemetry())
    .use(securityHeadersPlugin(headersFor))
    .use(edge(log))
    .use(dealerAuth(auth, guard))
    .use(healthRoutes("api", readiness))
    .use(metricsRoutes())
    .use(catalogRoutes(catalog))
    .use(vehicleRoutes({ store, reads, list, catalog, guard }))
    .use(docsRoutes(version));
}
