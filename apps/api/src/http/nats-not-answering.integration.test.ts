import { afterAll, beforeAll, expect, test } from "bun:test";
import { RETRY_AFTER_SECONDS } from "@forecourt/shared/platform";
import { startNatsServer, type TestNatsServer } from "@forecourt/shared/testing";
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

test("while NATS holds the connection but answers nothing (a cluster electing a stream leader) a write gets 503 with Retry-After and says a retry may find it stored; once back, writes succeed", async () => {
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
  expect(logs.map((l) => JSON.parse(l)).some((l) => l.msg === "request refused: dependency unavailable" && l.level === "warn")).toBe(true);
  const again = await api.request("POST", "/api/vehicles", car("UN4VA1L2"));
  expect(again.status).toBe(201);
}, 20_000);
