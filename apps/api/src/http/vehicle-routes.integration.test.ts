import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startNatsServer, waitFor, type TestNatsServer } from "@forecourt/shared/testing";
import { encodeEvent, vehicleSubject } from "@forecourt/shared/contracts";
import { eventsOf, readVehicleEvents, startTestApi, type TestApi } from "../test-support.ts";
import { jetstream } from "@nats-io/jetstream";

let server: TestNatsServer;
let a: TestApi;
let b: TestApi;
const logs: string[] = [];

beforeAll(async () => {
  server = await startNatsServer();
  a = await startTestApi(server.url, logs);
  b = await startTestApi(server.url);
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await server?.dispose();
});

const car = (registration: string, extra: Record<string, unknown> = {}) => ({ registration, modelCode: "ford-fiesta", color: "Red", year: 2019, ...extra });

describe("reading", () => {
  test("GET /api links to vehicles, models, manufacturers and the docs", async () => {
    const res = await a.request("GET", "/api");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/hal+json");
    const body = await res.json();
    expect(Object.keys(body._links)).toEqual(["self", "vehicles", "models", "manufacturers", "docs"]);
  });

  test("models and manufacturers come from the seeded catalog", async () => {
    const models = await (await a.request("GET", "/api/models")).json();
    expect(models.count).toBeGreaterThanOrEqual(300);
    const fiesta = await (await a.request("GET", "/api/models/ford-fiesta")).json();
    expect(fiesta).toMatchObject({ code: "ford-fiesta", basePrice: 19_500, _actions: { create: { method: "POST", href: "/api/models/ford-fiesta" } } });
    const ford = await (await a.request("GET", "/api/manufacturers/ford")).json();
    expect(ford._links.models.map((l: { name: string }) => l.name)).toContain("ford-fiesta");
    expect((await a.request("GET", "/api/manufacturers")).status).toBe(200);
  });

  test("unknown model, manufacturer, vehicle or path answer 404 problem+json", async () => {
    for (const path of ["/api/models/ford-model-t", "/api/manufacturers/trabant", "/api/vehicles/NOPE404", "/api/nothing-here", "/api/vehicles/" + "A".repeat(11)]) {
      const res = await a.request("GET", path);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(await res.json()).toMatchObject({ type: "about:blank", title: "Not Found", status: 404 });
    }
  });

  test("a bad page query answers 400 naming each field", async () => {
    for (const query of ["count=0", "count=101", "index=-1", "index=abc", "count=1.5"]) {
      const res = await a.request("GET", `/api/vehicles?${query}`);
      expect(res.status).toBe(400);
      const problem = await res.json();
      expect(problem.errors[0].field).toBe(`query.${query.split("=")[0]}`);
    }
  });
});

describe("writing", () => {
  test("POST /api/vehicles answers 201 with Location and the resource, and a second POST 409", async () => {
    const res = await a.request("POST", "/api/vehicles", car("wr01 abc"));
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/api/vehicles/WR01ABC");
    const body = await res.json();
    expect(body).toMatchObject({ registration: "WR01ABC", manufacturerName: "Ford", modelName: "Fiesta", _actions: { update: { method: "PUT" }, delete: { method: "DELETE" } } });
    const again = await a.request("POST", "/api/vehicles", car("WR01-ABC"));
    expect(again.status).toBe(409);
    expect((await again.json()).detail).toContain("WR01ABC");
  });

  test("POST /api/models/{code} lists a car of that model, or 404 for an unknown model", async () => {
    const res = await a.request("POST", "/api/models/volkswagen-golf", { registration: "WR02ABC", color: "Blue", year: 2020 });
    expect(res.status).toBe(201);
    expect((await res.json()).modelCode).toBe("volkswagen-golf");
    expect((await a.request("POST", "/api/models/ford-model-t", { registration: "WR03ABC", color: "Blue", year: 2020 })).status).toBe(404);
  });

  test("an unknown model in the body answers 422", async () => {
    const res = await a.request("POST", "/api/vehicles", car("WR04ABC", { modelCode: "ford-model-t" }));
    expect(res.status).toBe(422);
    expect((await res.json()).errors).toEqual([{ field: "modelCode", reason: "is not in the catalog" }]);
  });

  test("malformed JSON and invalid fields answer 400 with each failing field", async () => {
    const malformed = await a.request("POST", "/api/vehicles", "{not json");
    expect(malformed.status).toBe(400);
    const invalid = await a.request("POST", "/api/vehicles", { registration: "ABCDEFGHIJK", modelCode: "ford-fiesta", color: "x".repeat(33), year: 1899 });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).errors.map((e: { field: string }) => e.field).sort()).toEqual(["color", "registration", "year"]);
    const nextYear = new Date().getUTCFullYear() + 1;
    expect((await a.request("POST", "/api/vehicles", car("WR05ABC", { year: nextYear + 1 }))).status).toBe(400);
    expect((await a.request("POST", "/api/vehicles", car("WR05ABC", { year: nextYear }))).status).toBe(201);
    expect((await a.request("POST", "/api/vehicles", [1, 2])).status).toBe(400);
  });

  test("a body over 16 KiB answers 413 and a non-JSON content type 415", async () => {
    const big = await a.request("POST", "/api/vehicles", car("WR06ABC", { color: "x".repeat(17_000) }));
    expect(big.status).toBe(413);
    const text = await a.request("POST", "/api/vehicles", "registration=WR06ABC", { "content-type": "text/plain" });
    expect(text.status).toBe(415);
    expect(text.headers.get("content-type")).toBe("application/problem+json");
  });

  test("PUT creates (201) then replaces (200), keeping the listing date", async () => {
    const created = await a.request("PUT", "/api/vehicles/wr07abc", { modelCode: "ford-focus", color: "Grey", year: 2018 });
    expect(created.status).toBe(201);
    const first = await created.json();
    const replaced = await a.request("PUT", "/api/vehicles/WR07ABC", { modelCode: "ford-focus", color: "Black", year: 2018 });
    expect(replaced.status).toBe(200);
    const second = await replaced.json();
    expect(second).toMatchObject({ color: "Black", listedAt: first.listedAt });
    expect(second.updatedAt).toBeDefined();
    expect((await a.request("PUT", "/api/vehicles/WR07ABC", { modelCode: "nope", color: "Black", year: 2018 })).status).toBe(422);
  });

  test("DELETE answers 204, then 404", async () => {
    await a.request("POST", "/api/vehicles", car("WR08ABC"));
    expect((await a.request("DELETE", "/api/vehicles/wr08abc")).status).toBe(204);
    expect((await a.request("GET", "/api/vehicles/WR08ABC")).status).toBe(404);
    expect((await a.request("DELETE", "/api/vehicles/WR08ABC")).status).toBe(404);
    // deleted registrations may be listed again
    expect((await a.request("POST", "/api/vehicles", car("WR08ABC"))).status).toBe(201);
  });
});

describe("events", () => {
  test("create, update and delete publish listed, updated and removed with Nats-Msg-Id and the request's trace", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const traceparent = `00-${traceId}-00f067aa0ba902b7-01`;
    const res = await a.request("POST", "/api/vehicles", car("EV01ABC"), { traceparent });
    expect(res.headers.get("traceparent")).toStartWith(`00-${traceId}-`);
    await a.request("PUT", "/api/vehicles/EV01ABC", { modelCode: "ford-puma", color: "Red", year: 2019 });
    await a.request("DELETE", "/api/vehicles/EV01ABC");
    const events = eventsOf(await readVehicleEvents(a.nc), "EV01ABC");
    expect(events.map((e) => e.subject)).toEqual([
      "forecourt.vehicles.listed.ford.ford-fiesta.local",
      "forecourt.vehicles.updated.ford.ford-puma.local",
      "forecourt.vehicles.removed.ford.ford-puma.local",
    ]);
    for (const e of events) expect(e.headers?.get("Nats-Msg-Id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(events[0]!.headers?.get("traceparent")).toStartWith(`00-${traceId}-`);
    expect(events[0]!.body).toMatchObject({ registration: "EV01ABC", manufacturerCode: "ford", manufacturerName: "Ford", modelCode: "ford-fiesta", modelName: "Fiesta", color: "Red", year: 2019 });
    expect(logs.some((line) => line.includes(traceId) && line.includes('"msg":"request"'))).toBe(true);
  });

  test("a priced event puts the price on the vehicle resource, seen by every instance", async () => {
    const listed = await (await a.request("POST", "/api/vehicles", car("PR01ABC"))).json();
    const js = jetstream(a.nc);
    const body = { ...listed, price: 11_250, currencyCode: "GBP", pricedAt: new Date().toISOString(), pricedBy: "local" };
    await js.publish(vehicleSubject("priced", "ford", "ford-fiesta", "local"), encodeEvent("priced", body));
    const priced = await waitFor(async () => (await (await b.request("GET", "/api/vehicles/PR01ABC")).json()).price, { what: "the price" });
    expect(priced).toEqual({ amount: 11_250, currencyCode: "GBP" });
    expect((await (await a.request("GET", "/api/vehicles/PR01ABC")).json()).price).toEqual({ amount: 11_250, currencyCode: "GBP" });
  });
});

describe("several instances", () => {
  test("of two concurrent creates of one registration, exactly one answers 201 and the other 409", async () => {
    for (let i = 0; i < 5; i++) {
      const registration = `RACE${i}`;
      const statuses = (await Promise.all([a.request("POST", "/api/vehicles", car(registration)), b.request("POST", "/api/vehicles", car(registration, { color: "Blue" }))])).map((r) => r.status);
      expect(statuses.sort()).toEqual([201, 409]);
      const listed = eventsOf(await readVehicleEvents(a.nc), registration);
      expect(listed).toHaveLength(1);
    }
  });

  test("a car written through one instance is at once read and listed alike by the other", async () => {
    for (let i = 0; i < 20; i++) {
      const registration = `AG${i}ABC`;
      await a.request("POST", "/api/vehicles", car(registration, { color: `Magenta${i}` }));
      expect((await b.request("GET", `/api/vehicles/${registration.toLowerCase()}`)).status).toBe(200);
      const listed = await (await b.request("GET", `/api/vehicles?color=magenta${i}`)).json();
      expect(listed.items.map((v: { registration: string }) => v.registration)).toEqual([registration]);
      await b.request("DELETE", `/api/vehicles/${registration}`);
      expect((await (await a.request("GET", `/api/vehicles?color=magenta${i}`)).json()).total).toBe(0);
    }
    const page = async (t: TestApi) => (await (await t.request("GET", "/api/vehicles?index=0&count=100")).json()).items;
    expect(await page(b)).toEqual(await page(a));
  });
});

describe("paging", () => {
  test("pages are in registration order with filters kept in every link", async () => {
    for (const registration of ["PG03", "PG01", "PG05", "PG02", "PG04"]) await a.request("POST", "/api/vehicles", car(registration, { color: "Paging" }));
    const first = await (await a.request("GET", "/api/vehicles?index=0&count=2&color=paging")).json();
    expect(first.items.map((v: { registration: string }) => v.registration)).toEqual(["PG01", "PG02"]);
    expect(first.total).toBe(5);
    expect(first._links.previous).toBeUndefined();
    expect(first._links.next.href).toBe("/api/vehicles?index=2&count=2&color=paging");
    expect(first._links.final.href).toBe("/api/vehicles?index=4&count=2&color=paging");
    const last = await (await a.request("GET", first._links.final.href)).json();
    expect(last.items.map((v: { registration: string }) => v.registration)).toEqual(["PG05"]);
    expect(last._links.next).toBeUndefined();
    expect(last._links.previous.href).toBe("/api/vehicles?index=2&count=2&color=paging");
    expect(last.items[0]._links).toEqual({ self: { href: "/api/vehicles/PG05" }, model: { href: "/api/models/ford-fiesta" } });
  });
});

describe("docs and micro service", () => {
  test("the OpenAPI document describes and exemplifies every route and every error", async () => {
    const doc = await (await a.request("GET", "/swagger/json")).json();
    const operations = Object.values(doc.paths as Record<string, Record<string, { description?: string; responses: Record<string, { description?: string; content?: Record<string, { example?: unknown }> }> }>>).flatMap((ops) => Object.values(ops));
    expect(operations.length).toBe(11);
    for (const op of operations) {
      expect(op.description).toBeTruthy();
      for (const [status, response] of Object.entries(op.responses)) {
        expect(response.description).toBeTruthy();
        if (status !== "204") expect(Object.values(response.content!).every((c) => c.example !== undefined)).toBe(true);
      }
    }
  });

  test("the Swagger UI page loads its script and styles from this server, not a CDN", async () => {
    const html = await (await a.request("GET", "/swagger")).text();
    expect(html).not.toMatch(/https?:\/\//);
    const script = await a.request("GET", "/swagger/assets/swagger-ui-bundle.js");
    expect(script.status).toBe(200);
    expect((await script.text()).length).toBeGreaterThan(100_000);
  });

  test("forecourt.api.vehicles.get answers a registration with the vehicle, or 404", async () => {
    await a.request("POST", "/api/vehicles", car("MS01ABC"));
    const reply = await a.nc.request("forecourt.api.vehicles.get", new TextEncoder().encode("ms01 abc"));
    expect(reply.json()).toMatchObject({ registration: "MS01ABC", modelCode: "ford-fiesta" });
    const missing = await a.nc.request("forecourt.api.vehicles.get", new TextEncoder().encode("NOPE"));
    expect(missing.headers?.get("Nats-Service-Error-Code")).toBe("404");
  });
});
