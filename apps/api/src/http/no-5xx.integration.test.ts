import { afterAll, beforeAll, expect, test } from "bun:test";
import { startNatsServer, type TestNatsServer } from "@forecourt/shared/testing";
import fc from "fast-check";
import { startTestApi, type TestApi } from "../test-support.ts";

let server: TestNatsServer;
let api: TestApi;
beforeAll(async () => {
  server = await startNatsServer();
  api = await startTestApi(server.url);
});
afterAll(async () => {
  await api?.close();
  await server?.dispose();
});

const field = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
const vehicleLike = fc.record(
  { registration: field, modelCode: fc.oneof(field, fc.constantFrom("ford-fiesta", "tesla-model-3")), color: field, year: fc.oneof(field, fc.integer({ min: 1800, max: 2100 })) },
  { requiredKeys: [] },
);
const body = fc.oneof(
  vehicleLike.map((v) => JSON.stringify(v)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
);
const contentType = fc.constantFrom("application/json", "application/json; charset=utf-8", "application/hal+json", "text/plain", "", "application/x-www-form-urlencoded");
const pathPart = fc.oneof(
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.stringMatching(/^[A-Za-z0-9 %-]{0,14}$/).map((s) => s.replace(/ /g, "%20")),
);

test("random bodies never produce a 5xx", async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom("POST /api/vehicles", "POST /api/models/", "PUT /api/vehicles/"), pathPart, body, contentType, async (route, part, payload, type) => {
      const [method, path] = route.split(" ") as [string, string];
      const target = path.endsWith("/") ? `${path}${part || "x"}` : path;
      let res: Response;
      try {
        res = await api.request(method, target, payload, type ? { "content-type": type } : {});
      } catch {
        return; // not a URL a client could send
      }
      expect(res.status).toBeLessThan(500);
      if (res.status >= 400) expect(res.headers.get("content-type")).toBe("application/problem+json");
    }),
    { numRuns: 300 },
  );
});

test("a field holding an object whose toString is not a function answers 400, not 500 (found by the property above)", async () => {
  for (const [method, target, payload] of [
    ["POST", "/api/vehicles", '{"color":{"toString":0}}'],
    ["POST", "/api/models/ford-fiesta", '{"registration":{"valueOf":1},"color":"Red","year":2010}'],
    ["PUT", "/api/vehicles/AB12CDE", '{"modelCode":"ford-fiesta","color":["Red"],"year":2010}'],
  ] as const) {
    const res = await api.request(method, target, payload, { "content-type": "application/json" });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  }
});

test("random query strings never produce a 5xx", async () => {
  const key = fc.constantFrom("index", "count", "manufacturer", "model", "color", "year", "other");
  const value = fc.oneof(fc.string({ maxLength: 12 }), fc.integer().map(String), fc.double().map(String), fc.constantFrom("", "-0", "1e3", "0x10", "NaN", "%"));
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(key, value), { maxLength: 6 }), fc.string({ maxLength: 30 }), async (pairs, raw) => {
      const query = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
      for (const url of [`/api/vehicles?${query}`, `/api/vehicles?${raw.replace(/[#\s]/g, "")}`]) {
        let res: Response;
        try {
          res = await api.request("GET", url);
        } catch {
          continue; // not a URL a client could send
        }
        expect(res.status).toBeLessThan(500);
      }
    }),
    { numRuns: 300 },
  );
});

test("registrations in paths are normalised and percent-decoded once; a broken escape is a 400", async () => {
  expect((await api.request("PUT", "/api/vehicles/pd01%20abc", { modelCode: "ford-fiesta", color: "Red", year: 2019 })).status).toBe(201);
  expect((await api.request("GET", "/api/vehicles/PD01-ABC")).status).toBe(200);
  expect((await api.request("GET", "/api/vehicles/%zz")).status).toBe(400);
});
