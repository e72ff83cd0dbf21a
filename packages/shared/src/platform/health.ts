/** GET /health/live (the process answers) and GET /health/ready (its dependencies answer) for HTTP apps. */
import { Elysia } from "elysia";

/** A named dependency check: resolves true when the dependency is usable. */
export type ReadinessCheck = () => Promise<boolean> | boolean;

const liveBody = (service: string) => ({ status: "ok", service });

/**
 * GET /health/live as a route Bun answers by itself (Bun.serve `routes`, for Elysia's `serve.routes`): a
 * liveness probe asks only whether the process answers, so it skips the app's hooks, its trace and its log
 * line, and costs what a bare server's answer costs. `headers`: what every answer of the app carries.
 */
export function nativeLiveRoute(service: string, headers: Record<string, string> = {}): Record<string, { GET: Response }> {
  const response = new Response(JSON.stringify(liveBody(service)), { headers: { "content-type": "application/json;charset=utf-8", ...headers } });
  return { "/health/live": { GET: response } };
}

export function healthRoutes(service: string, checks: Record<string, ReadinessCheck>) {
  return new Elysia({ name: `health-${service}` })
    .get("/health/live", () => liveBody(service), {
      detail: { tags: ["health"], summary: "Liveness: the process is running" },
    })
    .get(
      "/health/ready",
      async ({ set }) => {
        const results: Record<string, "ok" | "failing"> = {};
        await Promise.all(
          Object.entries(checks).map(async ([name, check]) => {
            let ok = false;
            try {
              ok = await check();
            } catch {
              ok = false;
            }
            results[name] = ok ? "ok" : "failing";
          }),
        );
        const ready = Object.values(results).every((r) => r === "ok");
        set.status = ready ? 200 : 503;
        return { status: ready ? "ready" : "not ready", service, checks: results };
      },
      { detail: { tags: ["health"], summary: "Readiness: NATS and the app's own dependencies are reachable" } },
    );
}
