/**
 * The HTTP app without NATS, and the OpenAPI document it serves at GET /swagger/json, for `bun run lint:openapi`
 * and unit tests. Routes only touch their dependencies while handling a request that passed validation, so
 * serving the document, or refusing a bad request, never reaches them; any other use throws. It knows no dealer
 * unless given one: every write is 401 by default.
 */
import type { CatalogView } from "@forecourt/shared/catalog";
import { version } from "../../package.json";
import { createLogger } from "@forecourt/shared/platform";
import type { DealerAuthDeps } from "../dealers/dealer-auth.ts";
import type { VehicleStore } from "../vehicles/vehicle-store.ts";
import type { VehicleWatch } from "../vehicles/vehicle-watch.ts";
import { createHttp } from "./app.ts";

const NO_DEALERS: DealerAuthDeps["dealers"] = { authenticate: async () => undefined };

export function createOfflineHttp(dealers: DealerAuthDeps["dealers"] = NO_DEALERS) {
  const unused = new Proxy(
    {},
    {
      get(_, property) {
        throw new Error(`${String(property)} is not available to an app without NATS`);
      },
    },
  );
  const log = createLogger({ service: "api", level: "error", write: () => {} });
  return createHttp({ store: unused as VehicleStore, list: unused as VehicleWatch, catalog: unused as CatalogView, log, version, readiness: {}, auth: { dealers, limiter: { take: () => 0 } } });
}

export async function openApiDocument(): Promise<OpenApiDocument> {
  const response = await createOfflineHttp().handle(new Request("http://localhost/swagger/json"));
  if (!response.ok) throw new Error(`GET /swagger/json answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** The parts of the document this project reads back. */
export interface OpenApiDocument {
  openapi: string;
  servers?: { url: string }[];
  tags?: { name: string }[];
  security?: Record<string, string[]>[];
  components?: { securitySchemes?: Record<string, { type: string; scheme?: string }> };
  paths: Record<string, Record<string, OpenApiOperation>>;
}
export interface OpenApiOperation {
  tags?: string[];
  parameters?: { name: string; in: string; schema: Record<string, unknown> }[];
  requestBody?: { content: Record<string, { schema: { properties: Record<string, Record<string, unknown>> } }> };
  responses: Record<string, unknown>;
  security?: Record<string, string[]>[];
}
