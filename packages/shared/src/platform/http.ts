/** The platform's HTTP part (Elysia): health routes, security headers, per-request telemetry and GET /metrics. */
export * from "./health.ts";
export * from "./http-telemetry.ts";
export * from "./metrics-routes.ts";
export * from "./security-headers.ts";
