import { afterAll, beforeAll, expect, test } from "bun:test";
import { startNatsServer, type TestNatsServer } from "@forecourt/shared/testing";
import { startTestApi, type TestApi } from "../test-support.ts";

let server: TestNatsServer;
let api: TestApi;
let stopListening: () => unknown;
let base: string;

beforeAll(async () => {
  server = await startNatsServer();
  api = await startTestApi(server.url);
  const app = api.api.http.listen({ hostname: "127.0.0.1", port: 0 });
  stopListening = () => app.stop(true);
  base = `http://127.0.0.1:${app.server!.port}`;
  json = { ...anonymous, authorization: `Bearer ${api.key}` };
});
afterAll(async () => {
  await stopListening?.();
  await api?.close();
  await server?.dispose();
});

const anonymous = { "content-type": "application/json" };
let json: Record<string, string>;
const car = (registration: string) => JSON.stringify({ registration, modelCode: "ford-fiesta", color: "Red", year: 2019 });

function expectProtected(response: Response, what: string) {
  const header = (name: string) => [what, name, response.headers.get(name)];
  expect(header("x-content-type-options")).toEqual([what, "x-content-type-options", "nosniff"]);
  expect(header("x-frame-options")).toEqual([what, "x-frame-options", "DENY"]);
  expect(header("referrer-policy")).toEqual([what, "referrer-policy", "no-referrer"]);
  const csp = response.headers.get("content-security-policy") ?? "";
  expect([what, csp]).toEqual([what, expect.stringContaining("frame-ancestors 'none'")]);
  expect([what, csp]).toEqual([what, expect.stringContaining("default-src 'none'")]);
  expect([what, csp]).not.toEqual([what, expect.stringContaining("unsafe-inline")]);
  return csp;
}

test("every answer of the API carries the security headers: data, docs, health, errors and refusals", async () => {
  const requests: [string, string, RequestInit?][] = [
    ["GET", "/api"],
    ["GET", "/api/vehicles?index=0&count=5"],
    ["GET", "/api/models"],
    ["GET", "/api/models/ford-fiesta"],
    ["GET", "/api/manufacturers"],
    ["GET", "/api/manufacturers/ford"],
    ["POST", "/api/vehicles", { headers: json, body: car("SH01ABC") }],
    ["GET", "/api/vehicles/SH01ABC"],
    ["PUT", "/api/vehicles/SH01ABC", { headers: json, body: JSON.stringify({ modelCode: "ford-fiesta", color: "Blue", year: 2019 }) }],
    ["DELETE", "/api/vehicles/SH01ABC", { headers: { authorization: json.authorization! } }],
    ["GET", "/api/vehicles/NOPE404"],
    ["GET", "/api/vehicles?count=500"],
    ["POST", "/api/vehicles", { headers: json, body: "{not json" }],
    ["POST", "/api/vehicles", { headers: { "content-type": "text/plain" }, body: car("SH02ABC") }],
    ["POST", "/api/vehicles", { headers: json, body: "x".repeat(20_000) }],
    ["POST", "/api/vehicles", { headers: json, body: JSON.stringify({ registration: "SH03ABC", modelCode: "ford-model-t", color: "Red", year: 2019 }) }],
    ["POST", "/api/vehicles", { headers: anonymous, body: car("SH04ABC") }],
    ["GET", "/nowhere"],
    ["GET", "/health/live"],
    ["GET", "/health/ready"],
    ["GET", "/swagger/json"],
    ["GET", "/swagger/assets/swagger-ui-bundle.js"],
    ["GET", "/swagger/assets/swagger-init.js"],
    ["GET", "/swagger/assets/swagger-ui.css"],
    ["GET", "/swagger/assets/nothing.js"],
  ];
  const statuses = new Set<number>();
  for (const [method, path, init] of requests) {
    const response = await fetch(`${base}${path}`, { method, ...init });
    statuses.add(response.status);
    expect(expectProtected(response, `${method} ${path}`)).toBe("default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  }
  // The list reaches every kind of answer the API gives.
  expect([...statuses].sort()).toEqual([200, 201, 204, 400, 401, 404, 413, 415, 422]);
});

test("the Swagger page may load only its own scripts and styles, with no inline script", async () => {
  const response = await fetch(`${base}/swagger`);
  const csp = expectProtected(response, "GET /swagger");
  const directives = new Map(csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));
  expect(directives.get("script-src")).toEqual(["'self'"]);
  expect(directives.get("style-src")).toEqual(["'self'"]);
  expect(directives.get("connect-src")).toEqual(["'self'"]);
  const html = await response.text();
  // Every <script> names a file: an inline one would be refused by the policy above.
  expect(html.match(/<script[^>]*>/g)).toEqual(['<script src="/swagger/assets/swagger-ui-bundle.js">', '<script src="/swagger/assets/swagger-init.js">']);
  expect(html).not.toMatch(/<script[^>]*>[^<]/);
  expect(await (await fetch(`${base}/swagger/assets/swagger-init.js`)).text()).toContain('SwaggerUIBundle({ url: "/swagger/json"');
});
