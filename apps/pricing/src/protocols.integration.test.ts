import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { toJson } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { SEED_CATALOG } from "@forecourt/shared/catalog";
import { PARTICIPANT_HEADER, SERVICES } from "@forecourt/shared/contracts";
import { GetPriceResponseSchema, PriceCalculatorService, type GetPriceRequest } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";
import { Health, HealthCheckResponse_ServingStatus } from "@forecourt/shared/gen/grpc/health/v1/health_pb";
import { freePort, startApp, startNatsServer, type AppProcess, type TestNatsServer } from "@forecourt/shared/testing";
import { Svcm } from "@nats-io/services";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { GET_PRICE_SUBJECT } from "./nats-endpoint.ts";
import { priceCar } from "./price-rules.ts";

let nats: TestNatsServer;
let app: AppProcess;
let nc: NatsConnection;
let h2c: string;
let http1: string;

beforeAll(async () => {
  nats = await startNatsServer();
  const [port, httpPort] = [await freePort(), await freePort()];
  app = await startApp(join(import.meta.dir, "main.ts"), { NATS_URL: nats.url, PRICING_PORT: String(port), PRICING_HTTP_PORT: String(httpPort), FORECOURT_PARTICIPANT: "erin" });
  h2c = `http://127.0.0.1:${port}`;
  http1 = `http://127.0.0.1:${httpPort}`;
  nc = await connect({ servers: nats.url });
});
afterAll(async () => {
  await nc?.close();
  await app?.kill();
  await nats?.dispose();
});

/** Every protocol on every listener that serves it: gRPC needs HTTP/2; Connect and gRPC-Web run on both. */
function transports(): Record<string, { transport: Transport; timeoutHeader: Record<string, string> }> {
  const grpcTimeout = { "grpc-timeout": "0m" };
  const connectTimeout = { "connect-timeout-ms": "0" };
  return {
    "gRPC over h2c": { transport: createGrpcTransport({ baseUrl: h2c }), timeoutHeader: grpcTimeout },
    "Connect JSON over h2c": { transport: createConnectTransport({ baseUrl: h2c, httpVersion: "2" }), timeoutHeader: connectTimeout },
    "Connect binary over h2c": { transport: createConnectTransport({ baseUrl: h2c, httpVersion: "2", useBinaryFormat: true }), timeoutHeader: connectTimeout },
    "gRPC-Web over h2c": { transport: createGrpcWebTransport({ baseUrl: h2c, httpVersion: "2" }), timeoutHeader: grpcTimeout },
    "Connect JSON over HTTP/1.1": { transport: createConnectTransport({ baseUrl: http1, httpVersion: "1.1" }), timeoutHeader: connectTimeout },
    "Connect binary over HTTP/1.1": { transport: createConnectTransport({ baseUrl: http1, httpVersion: "1.1", useBinaryFormat: true }), timeoutHeader: connectTimeout },
    "gRPC-Web over HTTP/1.1": { transport: createGrpcWebTransport({ baseUrl: http1, httpVersion: "1.1" }), timeoutHeader: grpcTimeout },
  };
}

async function codeOf(call: Promise<unknown>): Promise<{ code: Code; message: string } | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    const e = ConnectError.from(error);
    return { code: e.code, message: e.rawMessage };
  }
}

const cars: Pick<GetPriceRequest, "modelCode" | "color" | "year">[] = [
  { modelCode: "ford-fiesta", color: "Blue", year: 2015 },
  { modelCode: "volkswagen-golf", color: "Metallic Grey", year: 2021 },
  { modelCode: "ford-focus", color: "Yellow", year: 1990 },
];

describe("one implementation over every protocol", () => {
  test("gRPC, Connect (JSON and binary) and gRPC-Web give the same price on both listeners, from the shared catalog", async () => {
    const year = new Date().getUTCFullYear();
    for (const car of cars) {
      const expected = priceCar({ ...car, basePrice: SEED_CATALOG.models.find((m) => m.code === car.modelCode)!.basePrice }, year);
      const answers = new Map<string, unknown>();
      for (const [name, { transport }] of Object.entries(transports())) {
        answers.set(name, toJson(GetPriceResponseSchema, await createClient(PriceCalculatorService, transport).getPrice(car)));
      }
      const first = answers.get("gRPC over h2c") as { price: string; breakdown: { basePrice: string } };
      expect(first.price).toBe(String(expected.price));
      expect(first.breakdown.basePrice).toBe(String(expected.basePrice));
      for (const [name, answer] of answers) expect({ name, answer }).toEqual({ name, answer: first });
    }
  });

  test("every protocol answers NOT_FOUND for an unknown model and INVALID_ARGUMENT naming the bad field", async () => {
    for (const [name, { transport }] of Object.entries(transports())) {
      const client = createClient(PriceCalculatorService, transport);
      expect({ name, ...(await codeOf(client.getPrice({ modelCode: "trabant-601", color: "Blue", year: 1980 }))) }).toMatchObject({ name, code: Code.NotFound });
      expect({ name, ...(await codeOf(client.getPrice({ modelCode: "ford-fiesta", color: "Blue", year: 1899 }))) }).toMatchObject({ name, code: Code.InvalidArgument, message: expect.stringContaining("year") });
      expect({ name, ...(await codeOf(client.getPrice({ modelCode: "ford-fiesta", color: "", year: 2015 }))) }).toMatchObject({ name, code: Code.InvalidArgument, message: expect.stringContaining("color") });
    }
  });

  test("every protocol answers DEADLINE_EXCEEDED when the client's deadline has passed before the server starts", async () => {
    for (const [name, { transport, timeoutHeader }] of Object.entries(transports())) {
      const call = createClient(PriceCalculatorService, transport).getPrice(cars[0]!, { headers: timeoutHeader });
      expect({ name, ...(await codeOf(call)) }).toMatchObject({ name, code: Code.DeadlineExceeded });
    }
  });

  test("the README's curl line works as printed against the HTTP/1.1 port", async () => {
    const response = await fetch(`${http1}/forecourt.pricing.v1.PriceCalculatorService/GetPrice`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"modelCode":"ford-fiesta","color":"Blue","year":2015}',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ price: expect.stringMatching(/^[1-9]\d*0$/), currencyCode: "GBP", breakdown: { basePrice: "19500" } });
  });

  test("a call carrying a traceparent is logged once, in that trace", async () => {
    const traceId = crypto.randomUUID().replaceAll("-", "");
    await createClient(PriceCalculatorService, transports()["gRPC over h2c"]!.transport).getPrice(cars[0]!, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    const line = await app.waitForLog((l) => l.traceId === traceId);
    expect(line).toMatchObject({ msg: "rpc", rpc: "forecourt.pricing.v1.PriceCalculatorService/GetPrice", code: "ok", contentType: "application/grpc+proto" });
    expect(app.logs.filter((l) => l.traceId === traceId)).toHaveLength(1);
  });
});

describe("HTTP/1.1 listener for browsers", () => {
  test("a CORS preflight is allowed, and answers name the origin policy", async () => {
    const url = `${http1}/forecourt.pricing.v1.PriceCalculatorService/GetPrice`;
    const preflight = await fetch(url, { method: "OPTIONS", headers: { origin: "http://localhost:3001", "access-control-request-method": "POST", "access-control-request-headers": "content-type,connect-protocol-version" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Connect-Protocol-Version");
    const answer = await fetch(url, { method: "POST", headers: { origin: "http://localhost:3001", "content-type": "application/json" }, body: JSON.stringify(cars[0]) });
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
  });

  test("/health/live and /health/ready answer 200 while NATS is up, and other paths 404", async () => {
    expect((await fetch(`${http1}/health/live`)).status).toBe(200);
    expect(await (await fetch(`${http1}/health/ready`)).json()).toMatchObject({ status: "ready", checks: { nats: "ok" } });
    expect((await fetch(`${http1}/nope`)).status).toBe(404);
  });
});

describe("around the price calculator", () => {
  test("buf curl, knowing only what server reflection tells it, lists the methods and prices a car", async () => {
    const buf = join(import.meta.dir, "../../../node_modules/.bin/buf");
    const run = async (...args: string[]) => {
      const proc = Bun.spawn([buf, "curl", "--protocol", "grpc", "--http2-prior-knowledge", ...args], { stdout: "pipe", stderr: "pipe" });
      const [stdout, stderr] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
      expect({ stderr, code: await proc.exited }).toEqual({ stderr: "", code: 0 });
      return stdout;
    };
    expect((await run("--list-methods", h2c)).split("\n")).toContain("forecourt.pricing.v1.PriceCalculatorService/GetPrice");
    const viaGrpc = await createClient(PriceCalculatorService, createGrpcTransport({ baseUrl: h2c })).getPrice(cars[2]!);
    const viaBufCurl = await run("-d", JSON.stringify(cars[2]), `${h2c}/forecourt.pricing.v1.PriceCalculatorService/GetPrice`);
    expect(JSON.parse(viaBufCurl)).toEqual(toJson(GetPriceResponseSchema, viaGrpc) as object);
  });

  test("grpc.health.v1 answers SERVING over gRPC", async () => {
    const health = createClient(Health, createGrpcTransport({ baseUrl: h2c }));
    expect((await health.check({ service: "forecourt.pricing.v1.PriceCalculatorService" })).status).toBe(HealthCheckResponse_ServingStatus.SERVING);
  });

  test("the NATS micro endpoint prices the same car in the same JSON, names its participant, and reports errors with status codes", async () => {
    const viaConnect = await createClient(PriceCalculatorService, transports()["Connect JSON over HTTP/1.1"]!.transport).getPrice(cars[1]!);
    const reply = await nc.request(GET_PRICE_SUBJECT, JSON.stringify(cars[1]), { timeout: 5_000 });
    expect(reply.json()).toEqual(toJson(GetPriceResponseSchema, viaConnect) as object);
    expect(reply.headers?.get(PARTICIPANT_HEADER)).toBe("erin");
    const missing = await nc.request(GET_PRICE_SUBJECT, JSON.stringify({ ...cars[1], modelCode: "trabant-601" }), { timeout: 5_000 });
    expect(missing.headers?.get("Nats-Service-Error-Code")).toBe("404");
    const garbage = await nc.request(GET_PRICE_SUBJECT, "not json", { timeout: 5_000 });
    expect(garbage.headers?.get("Nats-Service-Error-Code")).toBe("400");
  });

  test("nats micro stats show RPC counts by outcome", async () => {
    let counts: { rpc: Record<string, Record<string, number>> } | undefined;
    for await (const stats of await new Svcm(nc).client().stats(SERVICES.pricing)) {
      counts = stats.endpoints?.[0]?.data as typeof counts;
    }
    expect(counts?.rpc["forecourt.pricing.v1.PriceCalculatorService/GetPrice"]?.ok).toBeGreaterThan(0);
  });
});
