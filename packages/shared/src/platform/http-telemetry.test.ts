import { afterAll, expect, test } from "bun:test";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace";
import { Elysia, t } from "elysia";
import { parsePrometheusText, sampleSum } from "../testing/prometheus-text.ts";
import { httpTelemetry } from "./http-telemetry.ts";
import { metricsRoutes } from "./metrics-routes.ts";
import { activeSpanIds, SpanKind } from "./spans.ts";
import { startTracing } from "./tracing.ts";

const exporter = new InMemorySpanExporter();
const tracing = await startTracing({ service: "http-test", processor: new SimpleSpanProcessor({ exporter }) });
afterAll(() => tracing.stop());

const app = new Elysia()
  .use(httpTelemetry())
  .use(metricsRoutes())
  .onError(({ code }) => new Response(String(code), { status: code === "NOT_FOUND" ? 404 : code === "VALIDATION" ? 400 : 500 }))
  .get("/things/:id", ({ params }) => ({ id: params.id, ids: activeSpanIds() }))
  .post("/things", ({ body }) => new Response(JSON.stringify(body), { status: 201 }), { body: t.Object({ n: t.Number() }) })
  .get("/broken", () => {
    throw new Error("bug");
  });

const call = (path: string, init?: RequestInit) => app.handle(new Request(`http://localhost${path}`, init));
const metrics = async () => parsePrometheusText(await (await call("/metrics")).text());
const requests = async (labels: Record<string, string>) => sampleSum(await metrics(), "forecourt_http_requests_total", labels);

test("requests are counted and timed by route template, not raw path, and by status", async () => {
  const before = await requests({ method: "GET", route: "/things/:id", status: "200" });
  for (const id of ["a", "b", "c"]) expect((await call(`/things/${id}`)).status).toBe(200);
  await call("/things", { method: "POST", headers: { "content-type": "application/json" }, body: '{"n":1}' });
  await call("/things", { method: "POST", headers: { "content-type": "application/json" }, body: '{"n":"x"}' });
  await call("/broken");
  const after = await metrics();
  expect(sampleSum(after, "forecourt_http_requests_total", { method: "GET", route: "/things/:id", status: "200" })).toBe(before + 3);
  expect(sampleSum(after, "forecourt_http_requests_total", { route: "/things/a" })).toBe(0);
  expect(sampleSum(after, "forecourt_http_requests_total", { method: "POST", route: "/things", status: "201" })).toBeGreaterThanOrEqual(1);
  expect(sampleSum(after, "forecourt_http_requests_total", { method: "POST", route: "/things", status: "400" })).toBeGreaterThanOrEqual(1);
  expect(sampleSum(after, "forecourt_http_requests_total", { method: "GET", route: "/broken", status: "500" })).toBeGreaterThanOrEqual(1);
  expect(sampleSum(after, "forecourt_http_request_duration_seconds_count", { method: "GET", route: "/things/:id", status: "200" })).toBe(before + 3);
  expect(after.types.get("forecourt_http_request_duration_seconds")).toBe("histogram");
});

test("paths no route matches share one label value, so a scan cannot blow up the series", async () => {
  const before = await requests({ route: "unmatched", status: "404" });
  for (let i = 0; i < 5; i++) expect((await call(`/nothing/${i}`)).status).toBe(404);
  expect(await requests({ route: "unmatched", status: "404" })).toBe(before + 5);
});

test("each request is a SERVER span named by its route, continuing the caller's traceparent, with the handler inside it", async () => {
  exporter.reset();
  const response = await call("/things/z", { headers: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" } });
  const { ids } = (await response.json()) as { ids: { traceId: string; spanId: string } };
  const [span] = exporter.getFinishedSpans();
  expect(span!.name).toBe("GET /things/:id");
  expect(span!.kind).toBe(SpanKind.SERVER);
  expect(span!.spanContext().traceId).toBe("0af7651916cd43dd8448eb211c80319c");
  expect(span!.parentSpanContext?.spanId).toBe("b7ad6b7169203331");
  expect(ids).toEqual({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: span!.spanContext().spanId });
  expect(span!.attributes["http.response.status_code"]).toBe(200);

  exporter.reset();
  await call("/broken");
  expect(exporter.getFinishedSpans()[0]!.status.code).toBe(2);
});

test("process defaults are in the exposition", async () => {
  const exposition = await metrics();
  expect(exposition.types.get("process_resident_memory_bytes")).toBe("gauge");
  expect(sampleSum(exposition, "process_resident_memory_bytes")).toBeGreaterThan(0);
  expect(exposition.types.get("nodejs_eventloop_lag_seconds")).toBe("gauge");
});
