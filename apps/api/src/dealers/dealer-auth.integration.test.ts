import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startNatsServer, type TestNatsServer } from "@forecourt/shared/testing";
import { eventsOf, readVehicleEvents, startTestApi, TEST_DEALER, type TestApi } from "../test-support.ts";

let server: TestNatsServer;
let api: TestApi;
let rival: string;

beforeAll(async () => {
  server = await startNatsServer();
  api = await startTestApi(server.url);
  rival = await api.api.dealers.add("rival-motors");
});
afterAll(async () => {
  await api?.close();
  await server?.dispose();
});

const car = (registration: string, color = "Red") => ({ registration, modelCode: "ford-fiesta", color, year: 2019 });
const as = (key: string | null) => ({ authorization: key === null ? "" : `Bearer ${key}` });

async function expectUnauthorized(response: Response, challenge: string) {
  expect(response.status).toBe(401);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  expect(response.headers.get("www-authenticate")).toBe(challenge);
  expect(await response.json()).toMatchObject({ status: 401, title: "Unauthorized" });
}

describe("writes need a dealer's key", () => {
  test("a write without a key answers 401 problem+json with a Bearer challenge, and writes nothing", async () => {
    await expectUnauthorized(await api.request("POST", "/api/vehicles", car("AU01ABC"), as(null)), 'Bearer realm="forecourt"');
    await expectUnauthorized(await api.request("PUT", "/api/vehicles/AU01ABC", car("AU01ABC"), as(null)), 'Bearer realm="forecourt"');
    await expectUnauthorized(await api.request("DELETE", "/api/vehicles/AU01ABC", undefined, as(null)), 'Bearer realm="forecourt"');
    expect((await api.request("GET", "/api/vehicles/AU01ABC")).status).toBe(404);
  });

  test("a malformed, unknown or wrongly-schemed key answers 401 invalid_token", async () => {
    const invalid = 'Bearer realm="forecourt", error="invalid_token"';
    const forged = `${api.key.slice(0, -4)}AAAA`;
    for (const authorization of [`Bearer ${forged}`, "Bearer nonsense", `Bearer fck_nobody_${"a".repeat(43)}`, `Basic ${btoa("dealer:pw")}`, `Bearer`]) {
      await expectUnauthorized(await api.request("POST", "/api/vehicles", car("AU02ABC"), { authorization }), invalid);
    }
    expect((await api.request("GET", "/api/vehicles/AU02ABC")).status).toBe(404);
  });

  test("reads stay public", async () => {
    for (const path of ["/api", "/api/vehicles", "/api/models/ford-fiesta", "/swagger/json"]) {
      expect((await api.request("GET", path, undefined, as(null))).status).toBe(200);
    }
  });

  test("the scheme is matched in any case", async () => {
    const response = await api.request("POST", "/api/vehicles", car("AU03ABC"), { authorization: `bearer ${api.key}` });
    expect(response.status).toBe(201);
  });
});

describe("a car belongs to the dealer who listed it", () => {
  test("the owner may change and remove it (2xx); the car and its listed event name the dealer", async () => {
    const created = await api.request("POST", "/api/vehicles", car("OWN1ABC"));
    expect(created.status).toBe(201);
    expect((await created.json()).dealer).toBe(TEST_DEALER);
    const listed = eventsOf(await readVehicleEvents(api.nc), "OWN1ABC");
    expect(listed.map((e) => [e.subject.split(".")[2], e.body.dealer])).toEqual([["listed", TEST_DEALER]]);
    expect((await api.request("PUT", "/api/vehicles/OWN1ABC", car("OWN1ABC", "Blue"))).status).toBe(200);
    expect((await api.request("DELETE", "/api/vehicles/OWN1ABC")).status).toBe(204);
  });

  test("another dealer's key answers 403 problem+json on change and removal, and the car is untouched", async () => {
    expect((await api.request("POST", "/api/vehicles", car("OWN2ABC"))).status).toBe(201);
    for (const [method, body] of [["PUT", car("OWN2ABC", "Green")], ["DELETE", undefined]] as const) {
      const response = await api.request(method, "/api/vehicles/OWN2ABC", body, as(rival));
      expect(response.status).toBe(403);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect((await response.json()).detail).toBe("vehicle OWN2ABC was listed by another dealer; only that dealer may change or remove it");
    }
    const stored = await (await api.request("GET", "/api/vehicles/OWN2ABC")).json();
    expect(stored).toMatchObject({ color: "Red", dealer: TEST_DEALER });
    expect(eventsOf(await readVehicleEvents(api.nc), "OWN2ABC").map((e) => e.subject.split(".")[2])).toEqual(["listed"]);
  });

  test("a PUT that creates a car makes the writer its dealer", async () => {
    const created = await api.request("PUT", "/api/vehicles/OWN3ABC", { modelCode: "ford-fiesta", color: "Red", year: 2019 }, as(rival));
    expect(created.status).toBe(201);
    expect((await created.json()).dealer).toBe("rival-motors");
    expect((await api.request("DELETE", "/api/vehicles/OWN3ABC")).status).toBe(403);
  });

  test("a revoked key answers 401 at the next request; a new key works again", async () => {
    const key = await api.api.dealers.add("short-lived");
    expect((await api.request("POST", "/api/vehicles", car("REV1ABC"), as(key))).status).toBe(201);
    await api.api.dealers.revoke("short-lived");
    await expectUnauthorized(await api.request("DELETE", "/api/vehicles/REV1ABC", undefined, as(key)), 'Bearer realm="forecourt", error="invalid_token"');
    const renewed = await api.api.dealers.add("short-lived");
    expect((await api.request("DELETE", "/api/vehicles/REV1ABC", undefined, as(renewed))).status).toBe(204);
  });
});

test("past its write rate a dealer gets 429 with Retry-After, while another dealer still writes", async () => {
  const limited = await startTestApi(server.url, [], { writeRate: { perSecond: 1, burst: 3 } });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await limited.request("POST", "/api/vehicles", car(`RATE${i}A`))).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const refused = await limited.request("POST", "/api/vehicles", car("RATE9A"));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect((await refused.json()).title).toBe("Too Many Requests");
    expect((await limited.request("GET", "/api/vehicles/RATE9A")).status).toBe(404);
    expect((await limited.request("POST", "/api/vehicles", car("RATE9B"), as(rival))).status).toBe(201);
    await Bun.sleep(1_100);
    expect((await limited.request("POST", "/api/vehicles", car("RATE9C"))).status).toBe(201);
  } finally {
    await limited.close();
  }
});
