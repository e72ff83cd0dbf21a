/** GET /health/live (the process answers) and GET /health/ready (its dependencies answer) for HTTP apps. */
import { Elysia } from "elysia";
import type { Readiness } from "./readiness.ts";

/** A named dependency check: resolves true when the dependency is usable. */
export type ReadinessCheck = () => Promise<boolean> | boolean;

interface ReadyBody {
  status: "ready" | "not ready";
  service: string;
  checks: Record<string, "ok" | "failing">;
  /** Why each failing check fails (readiness with reasons only). */
  reasons?: Record<string, string>;
}

async function fromChecks(service: string, checks: Record<string, ReadinessCheck>): Promise<ReadyBody> {
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
  return { status: ready ? "ready" : "not ready", service, checks: results };
}

async function fromReadiness(service: string, readiness: Readiness): Promise<ReadyBody> {
  const report = await readiness.check();
  const checks: Record<string, "ok" | "failing"> = {};
  const reasons: Record<string, string> = {};
  for (const [name, state] of Object.entries(report.checks)) {
    checks[name] = state === "ok" ? "ok" : "failing";
    if (state !== "ok") reasons[name] = state;
  }
  return { status: report.ready ? "ready" : "not ready", service, checks, ...(report.ready ? {} : { reasons }) };
}

export function healthRoutes(service: string, checks: Record<string, ReadinessCheck> | Readiness) {
  const isReadiness = typeof (checks as Readiness).check === "function" && typeof (checks as Readiness).blocked === "function";
  return new Elysia({ name: `health-${service}` })
    .get("/health/live", () => ({ status: "ok", service }), {
      detail: { tags: ["health"], summary: "Liveness: the process is running" },
    })
    .get(
      "/health/ready",
      async ({ set }) => {
        const body = isReadiness ? await fromReadiness(service, checks as Readiness) : await fromChecks(service, checks as Record<string, ReadinessCheck>);
        set.status = body.status === "ready" ? 200 : 503;
        return body;
      },
      { detail: { tags: ["health"], summary: "Readiness: NATS and the streams, buckets and consumers the app needs are there" } },
    );
}
