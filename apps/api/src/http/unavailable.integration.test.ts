import { afterAll, beforeAll, expect, test } from "bun:test";
import { RETRY_AFTER_SECONDS } from "@forecourt/shared/platform";
import { startNatsServer, waitFor, type TestNatsServer } from "@forecourt/shared/testing";
import { startTestApi, type TestApi } from "../test-support.ts";

let server: TestNatsServer;
let api: TestApi;
const logs: string[] = [];

beforeAll(async () => {
  server = await startNatsServer();
  api = await startTestApi(server.url, logs);
});
afterAll(async () => {
  await api?.close();
  await server?.dispose();
});

const car = (registration: string) => ({ registration, modelCode: "ford-fiesta", color: "Red", year: 2019 });
const REQUESTS: [string, string, unknown?][] = [
  ["GET", "/api/vehicles"],
  ["GET", "/api/vehicles/UP01AAA"],
  ["POST", "/api/vehicles", car("DOWN01")],
  ["PUT", "/api/vehicles/UP01AAA", car("UP01AAA")],
  ["POST", "/api/models/ford-fiesta", { registration: "DOWN02", color: "Blue", year: 2018 }],
  ["DELETE", "/api/vehicles/UP01AAA"],
];

test("while NATS is stopped every vehicle request answers 503 problem+json with Retry-After at once, never 500, and all work again after it restarts", async () => {
  expect((await api.request("POST", "/api/vehicles", car("UP01AAA"))).status).toBe(201);
  await server.stop();
  await waitFor(async () => (await api.request("GET", "/health/ready")).status === 503, { what: "readiness to notice NATS is gone" });

  for (const [method, path, body] of REQUESTS) {
    const started = performance.now();
    const res = await api.request(method, path, body);
    expect([method, path, res.status]).toEqual([method, path, 503]);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("retry-after")).toBe(String(RETRY_AFTER_SECONDS));
    expect((await res.json()).detail).toContain("NATS is disconnected");
    // Refused from the known connection state, not after a request timed out.
    expect(performance.now() - started).toBeLessThan(1_000);
  }
  // The catalog is served from memory and needs no NATS.
  expect((await api.request("GET", "/api/models/ford-fiesta")).status).toBe(200);
  const ready = await api.request("GET", "/health/ready");
  expect(await ready.json()).toMatchObject({ status: "not ready", checks: { nats: "failing" } });
  expect(logs.some((line) => line.includes('"msg":"request refused: dependency unavailable"'))).toBe(true);
  expect(logs.some((line) => line.includes('"msg":"request failed"'))).toBe(false);

  await server.start();
  await waitFor(async () => (await api.request("GET", "/health/ready")).status === 200, { timeoutMs: 15_000, what: "ready again" });
  expect((await api.request("GET", "/api/vehicles/UP01AAA")).status).toBe(200);
  expect((await api.request("POST", "/api/vehicles", car("UP02AAA"))).status).toBe(201);
  expect((await (await api.request("GET", "/api/vehicles")).json()).total).toBe(2);
}, 40_000);

test("while NATS holds the connection but answers nothing (a cluster electing a stream leader) a write gets 503 with Retry-After and says a retry may find it stored; once back, writes succeed", async () => {
  const logged = logs.length;
  // SIGSTOP: the server holds the connection but answers nothing, as a cluster does while a stream has no leader.
  server.signal("SIGSTOP");
  try {
    const res = await api.request("POST", "/api/vehicles", car("UN4VA1L"));
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe(String(RETRY_AFTER_SECONDS));
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = await res.json();
    expect(problem).toMatchObject({ status: 503, title: "Service Unavailable", instance: "/api/vehicles" });
    expect(problem.detail).toContain(`retry in ${RETRY_AFTER_SECONDS} s`);
    expect(problem.detail).toContain("409");
  } finally {
    server.signal("SIGCONT");
  }
  expect(logs.slice(logged).map((l) => JSON.parse(l)).some((l) => l.msg === "request refused: dependency unavailable" && l.level === "warn")).toBe(true);
  const again = await api.request("POST", "/api/vehicles", car("UN4VA1L2"));
  expect(again.status).toBe(201);
}, 20_000);

test("a request caught by a JetStream outage the guard has not seen yet still answers 503, not 500", async () => {
  // NATS answers but JetStream is gone: the connection stays up, so only the error mapper can tell.
  const { jetstreamManager } = await import("@nats-io/jetstream");
  const jsm = await jetstreamManager(api.nc);
  await jsm.streams.delete("KV_vehicles");
  const res = await api.request("PUT", "/api/vehicles/UP01AAA", car("UP01AAA"));
  expect(res.status).toBe(503);
  expect(res.headers.get("retry-after")).toBe(String(RETRY_AFTER_SECONDS));
}, 20_000);
