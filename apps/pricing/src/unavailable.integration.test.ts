import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { PriceCalculatorService } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";
import { Health, HealthCheckResponse_ServingStatus } from "@forecourt/shared/gen/grpc/health/v1/health_pb";
import { freePort, startApp, startNatsServer, waitFor, type AppProcess, type TestNatsServer } from "@forecourt/shared/testing";

let nats: TestNatsServer;
let app: AppProcess;
let h2c: string;
let http1: string;

beforeAll(async () => {
  nats = await startNatsServer();
  const [port, httpPort] = [await freePort(), await freePort()];
  app = await startApp(join(import.meta.dir, "main.ts"), { NATS_URL: nats.url, PRICING_PORT: String(port), PRICING_HTTP_PORT: String(httpPort) });
  h2c = `http://127.0.0.1:${port}`;
  http1 = `http://127.0.0.1:${httpPort}`;
});
afterAll(async () => {
  await app?.kill();
  await nats?.dispose();
});

const fiesta = { modelCode: "ford-fiesta", color: "Blue", year: 2015 };

async function codeOf(call: Promise<unknown>): Promise<Code | "ok"> {
  try {
    await call;
    return "ok";
  } catch (error) {
    return ConnectError.from(error).code;
  }
}

test("while NATS is down GetPrice answers UNAVAILABLE (Connect: HTTP 503) and health says NOT_SERVING; both recover when it is back", async () => {
  const grpc = createClient(PriceCalculatorService, createGrpcTransport({ baseUrl: h2c }));
  const connect = createClient(PriceCalculatorService, createConnectTransport({ baseUrl: http1, httpVersion: "1.1" }));
  const health = createClient(Health, createGrpcTransport({ baseUrl: h2c }));
  expect(await codeOf(grpc.getPrice(fiesta))).toBe("ok");

  await nats.stop();
  await waitFor(async () => (await codeOf(grpc.getPrice(fiesta))) === Code.Unavailable, { what: "UNAVAILABLE over gRPC" });
  expect(await codeOf(connect.getPrice(fiesta))).toBe(Code.Unavailable);
  const raw = await fetch(`${http1}/forecourt.pricing.v1.PriceCalculatorService/GetPrice`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fiesta) });
  expect(raw.status).toBe(503);
  expect(await raw.json()).toMatchObject({ code: "unavailable" });
  expect((await health.check({ service: "" })).status).toBe(HealthCheckResponse_ServingStatus.NOT_SERVING);
  expect((await fetch(`${http1}/health/ready`)).status).toBe(503);
  await app.waitForLog((line) => line.msg === "rpc" && line.code === "Unavailable" && line.level === "warn", 5_000); // lines are written in batches

  await nats.start();
  await waitFor(async () => (await codeOf(grpc.getPrice(fiesta))) === "ok", { timeoutMs: 15_000, what: "prices again" });
  expect((await health.check({ service: "" })).status).toBe(HealthCheckResponse_ServingStatus.SERVING);
}, 40_000);
