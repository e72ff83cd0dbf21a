import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { toJson } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { GetPriceResponseSchema, PriceCalculatorService } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";
import { freePort, startApp, startNatsServer, type AppProcess, type TestNatsServer } from "@forecourt/shared/testing";

const PYTHON = process.env.PYTHON ?? "/usr/bin/python3";
const clients = join(import.meta.dir, "../../../clients/python");

let nats: TestNatsServer;
let app: AppProcess;
let target: string;

beforeAll(async () => {
  nats = await startNatsServer();
  const port = await freePort();
  app = await startApp(join(import.meta.dir, "main.ts"), { NATS_URL: nats.url, PRICING_PORT: String(port), PRICING_HTTP_PORT: String(await freePort()) });
  target = `127.0.0.1:${port}`;
});
afterAll(async () => {
  await app?.kill();
  await nats?.dispose();
});

/** Runs one of the Python client scripts against the app; its stdout, stderr and exit code. */
async function python(script: string, ...args: string[]) {
  const proc = Bun.spawn([PYTHON, join(clients, script), "--target", target, ...args], { stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout: stdout.trim(), stderr: stderr.trim(), code };
}

const cars = [
  { modelCode: "ford-fiesta", color: "Blue", year: 2015 },
  { modelCode: "volkswagen-golf", color: "Black", year: 2024 },
];

test("the generated Python client gets the same answer over real gRPC as the TypeScript client", async () => {
  const typescript = createClient(PriceCalculatorService, createGrpcTransport({ baseUrl: `http://${target}` }));
  for (const car of cars) {
    const viaTypeScript = toJson(GetPriceResponseSchema, await typescript.getPrice(car));
    const viaPython = await python("price.py", car.modelCode, car.color, String(car.year));
    expect(viaPython.stderr).toBe("");
    expect(JSON.parse(viaPython.stdout)).toEqual(viaTypeScript as object);
  }
  // The server saw gRPC proper (HTTP/2 with trailers), not Connect or gRPC-Web.
  expect(app.logs.filter((l) => l.msg === "rpc" && l.contentType === "application/grpc").length).toBeGreaterThanOrEqual(cars.length);
});

test("the Python client sees NOT_FOUND and INVALID_ARGUMENT as gRPC status codes", async () => {
  expect(await python("price.py", "trabant-601", "Blue", "1980")).toMatchObject({ code: 1, stderr: expect.stringMatching(/^NOT_FOUND: /) });
  expect(await python("price.py", "ford-fiesta", "Blue", "1850")).toMatchObject({ code: 1, stderr: expect.stringMatching(/^INVALID_ARGUMENT: year/) });
});

test("grpc.health.v1 answers SERVING to the Python client", async () => {
  expect(JSON.parse((await python("price.py", "--health")).stdout)).toEqual({ status: "SERVING" });
});

test("a generic client lists the services by reflection, v1 and v1alpha, and calls GetPrice knowing nothing else", async () => {
  for (const version of [[], ["--v1alpha"]]) {
    const listed = await python("reflect.py", ...version, "list");
    expect(listed.stdout.split("\n")).toContain("forecourt.pricing.v1.PriceCalculatorService");
    expect(listed.stdout.split("\n")).toContain("grpc.health.v1.Health");
  }
  const viaReflection = await python("reflect.py", "call", "forecourt.pricing.v1.PriceCalculatorService/GetPrice", JSON.stringify(cars[0]));
  const viaStub = await python("price.py", cars[0]!.modelCode, cars[0]!.color, String(cars[0]!.year));
  expect(viaReflection.stderr).toBe("");
  expect(JSON.parse(viaReflection.stdout)).toEqual(JSON.parse(viaStub.stdout));
});
