import { describe, expect, test } from "bun:test";
import { SEED_CATALOG } from "@forecourt/shared/catalog";
import { colorReason, LIST_QUERY_DOCS, LIST_QUERY_RULES, listQueryErrors, registrationReason, VEHICLE_FIELD_DOCS, VEHICLE_FIELDS, VEHICLE_RULES, yearReason, type VehicleField } from "@forecourt/shared/contracts";
import { EXAMPLE_VEHICLE } from "./docs.ts";
import { createVehicleAction, modelResource, vehicleResource } from "./hal.ts";
import { DEALER_KEY_SCHEME } from "./docs-routes.ts";
import { createOfflineHttp, openApiDocument, type OpenApiOperation } from "./openapi-document.ts";

const doc = await openApiDocument();
const R = VEHICLE_RULES;

const bodyProperties = (op: OpenApiOperation) => op.requestBody!.content["application/json"]!.schema.properties;
const bounds = (schema: Record<string, unknown>) => {
  const { minLength, maxLength, minimum, maximum } = schema;
  return Object.fromEntries(Object.entries({ minLength, maxLength, minimum, maximum }).filter(([, v]) => v !== undefined));
};

describe("the OpenAPI document", () => {
  test("is OpenAPI 3.1 with a server and a described tag for every tag an operation uses", () => {
    expect(doc.openapi).toStartWith("3.1");
    expect(doc.servers).toEqual([{ url: "/", description: "This API instance" } as { url: string }]);
    const declared = new Set(doc.tags!.map((t) => t.name));
    const used = Object.values(doc.paths).flatMap((ops) => Object.values(ops).flatMap((op) => op.tags ?? []));
    expect(used.length).toBeGreaterThan(0);
    for (const tag of used) expect(declared).toContain(tag);
  });

  test("body fields carry the shared rules' bounds and words", () => {
    const expected = {
      registration: { minLength: R.registration.minLength, maxLength: R.registration.maxInputLength },
      modelCode: { minLength: R.modelCode.minLength, maxLength: R.modelCode.maxLength },
      color: { minLength: R.color.minLength, maxLength: R.color.maxLength },
      // The latest year moves with the calendar, so the schema leaves it to the domain check.
      year: { minimum: R.year.minimum },
    };
    const bodies = [doc.paths["/api/vehicles"]!.post!, doc.paths["/api/vehicles/{registration}"]!.put!, doc.paths["/api/models/{code}"]!.post!];
    let checked = 0;
    for (const op of bodies) {
      for (const [field, schema] of Object.entries(bodyProperties(op))) {
        const name = field as keyof typeof expected;
        expect(bounds(schema)).toEqual(expected[name]);
        expect(schema.description).toBe(VEHICLE_FIELD_DOCS[name].description);
        checked++;
      }
    }
    expect(checked).toBe(4 + 3 + 3);
  });

  test("the list query carries the shared paging and filter bounds", () => {
    const parameters = doc.paths["/api/vehicles"]!.get!.parameters!;
    expect(parameters.map((p) => p.name).sort()).toEqual(Object.keys(LIST_QUERY_RULES).sort());
    for (const { name, schema } of parameters) {
      const rule = LIST_QUERY_RULES[name as keyof typeof LIST_QUERY_RULES];
      expect(bounds(schema)).toEqual(bounds(rule));
      expect(schema.description).toBe(LIST_QUERY_DOCS[name as keyof typeof LIST_QUERY_DOCS].description);
    }
  });
});

describe("who may call what", () => {
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
  const writes = operations.filter(({ method }) => ["post", "put", "patch", "delete"].includes(method));

  test("the dealer key is an HTTP bearer scheme, and reads need nothing", () => {
    expect(doc.components?.securitySchemes?.[DEALER_KEY_SCHEME]).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([]);
    for (const { op } of operations.filter(({ method }) => method === "get")) expect(op.security).toBeUndefined();
  });

  test("every write declares the dealer key and documents 401 and 429; changes of a car also 403", () => {
    expect(writes.map(({ method, path }) => `${method} ${path}`).sort()).toEqual(["delete /api/vehicles/{registration}", "post /api/models/{code}", "post /api/vehicles", "put /api/vehicles/{registration}"]);
    for (const { method, path, op } of writes) {
      expect([method, path, op.security]).toEqual([method, path, [{ [DEALER_KEY_SCHEME]: [] }]]);
      expect([method, path, Object.keys(op.responses)]).toEqual([method, path, expect.arrayContaining(["401", "429"])]);
      if (path.includes("{registration}")) expect(Object.keys(op.responses)).toContain("403");
    }
  });
});

describe("HAL _actions", () => {
  const described = (names: readonly VehicleField[]) => names.map((name) => ({ name, type: VEHICLE_FIELD_DOCS[name].type, description: VEHICLE_FIELD_DOCS[name].description }));

  test("describe each field in the shared rules' words", () => {
    expect(createVehicleAction().fields).toEqual(described(VEHICLE_FIELDS));
    expect(vehicleResource(EXAMPLE_VEHICLE)._actions.update.fields).toEqual(described(["modelCode", "color", "year"]));
    expect(modelResource(SEED_CATALOG.models[0]!)._actions.create.fields).toEqual(described(["registration", "color", "year"]));
  });
});

describe("400 answers", () => {
  const app = createOfflineHttp({ authenticate: async (key) => (key === "test-key" ? "test-dealer" : undefined) });
  const post = async (body: unknown) => {
    const headers = { "content-type": "application/json", authorization: "Bearer test-key" };
    const response = await app.handle(new Request("http://localhost/api/vehicles", { method: "POST", headers, body: JSON.stringify(body) }));
    expect(response.status).toBe(400);
    return (await response.json()).errors as { field: string; reason: string }[];
  };
  const car = { registration: "AB12CDE", modelCode: "ford-fiesta", color: "Red", year: 2019 };
  const thisYear = new Date().getUTCFullYear();

  test("give the shared rules' reasons, whether the schema or the domain check refused the field", async () => {
    // Refused by the request schema (below its minimum), then by the domain check (after next year).
    expect(await post({ ...car, year: R.year.minimum - 1 })).toEqual([{ field: "year", reason: yearReason(R.year.minimum - 1, thisYear)! }]);
    expect(await post({ ...car, year: thisYear + 2 })).toEqual([{ field: "year", reason: yearReason(thisYear + 2, thisYear)! }]);
    expect(await post({ ...car, color: "x".repeat(R.color.maxLength + 1) })).toEqual([{ field: "color", reason: colorReason("x".repeat(R.color.maxLength + 1))! }]);
  });

  test("a padded colour or registration the schema refuses is refused for the rules' reason, not the schema's", async () => {
    const color = ` ${"x".repeat(R.color.maxLength)}`;
    expect(await post({ ...car, color })).toEqual([{ field: "color", reason: colorReason(color)! }]);
    const registration = `AB12${" ".repeat(R.registration.maxInputLength)}`;
    expect(await post({ ...car, registration })).toEqual([{ field: "registration", reason: registrationReason(registration)! }]);
  });

  test("a write without a key is refused before its fields are checked", async () => {
    const response = await createOfflineHttp().handle(new Request("http://localhost/api/vehicles", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }));
    expect(response.status).toBe(401);
  });

  test("a bad page query gives the shared rules' reason", async () => {
    const query = `count=${LIST_QUERY_RULES.count.maximum + 1}`;
    const response = await app.handle(new Request(`http://localhost/api/vehicles?${query}`));
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual(listQueryErrors(new URLSearchParams(query)));
  });
});
