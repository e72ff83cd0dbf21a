/** GET /metrics on an HTTP app (Elysia); the workers' own listener is `serveMetrics` in metrics.ts. */
import { Elysia } from "elysia";
import { collectProcessMetrics, metricsResponse } from "./metrics.ts";

/** GET /metrics on an HTTP app; left out of its OpenAPI document. */
export function metricsRoutes() {
  collectProcessMetrics();
  return new Elysia({ name: "metrics" }).get("/metrics", () => metricsResponse(), { detail: { hide: true } });
}
