import { describe, expect, test } from "bun:test";
import { createFileRegistry, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { create } from "@bufbuild/protobuf";
import { createClient, createRouterTransport } from "@connectrpc/connect";
import * as v1 from "@forecourt/shared/gen/grpc/reflection/v1/reflection_pb";
import * as v1alpha from "@forecourt/shared/gen/grpc/reflection/v1alpha/reflection_pb";
import { createPriceCalculator } from "./pricing-service.ts";
import { createRoutes } from "./routes.ts";

const routes = createRoutes({ calculator: createPriceCalculator({ catalog: { model: () => undefined }, currentYear: () => 2026 }), isServing: async () => true });
const transport = createRouterTransport(routes);

async function ask(request: v1.ServerReflectionRequest["messageRequest"]) {
  const client = createClient(v1.ServerReflection, transport);
  const answers: v1.ServerReflectionResponse[] = [];
  async function* requests() {
    yield create(v1.ServerReflectionRequestSchema, { messageRequest: request });
  }
  for await (const answer of client.serverReflectionInfo(requests())) answers.push(answer);
  expect(answers).toHaveLength(1);
  return answers[0]!.messageResponse;
}

function fileNames(answer: Awaited<ReturnType<typeof ask>>): string[] {
  if (answer.case !== "fileDescriptorResponse") throw new Error(`expected files, got ${answer.case}`);
  return answer.value.fileDescriptorProto.map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes).name);
}

describe("server reflection", () => {
  test("lists every service the server answers", async () => {
    const answer = await ask({ case: "listServices", value: "" });
    expect(answer.case).toBe("listServicesResponse");
    expect(answer.case === "listServicesResponse" && answer.value.service.map((s) => s.name)).toEqual([
      "forecourt.pricing.v1.PriceCalculatorService",
      "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
    ]);
  });

  test("finds the file of a service, a method and a message, enough to rebuild the service", async () => {
    for (const symbol of ["forecourt.pricing.v1.PriceCalculatorService", "forecourt.pricing.v1.PriceCalculatorService.GetPrice", "forecourt.pricing.v1.GetPriceRequest"]) {
      expect(fileNames(await ask({ case: "fileContainingSymbol", value: symbol }))).toEqual(["forecourt/pricing/v1/pricing.proto"]);
    }
    const answer = await ask({ case: "fileContainingSymbol", value: "forecourt.pricing.v1.PriceCalculatorService" });
    if (answer.case !== "fileDescriptorResponse") throw new Error(answer.case);
    const registry = createFileRegistry(create(FileDescriptorSetSchema, { file: answer.value.fileDescriptorProto.map((b) => fromBinary(FileDescriptorProtoSchema, b)) }));
    const service = registry.getService("forecourt.pricing.v1.PriceCalculatorService");
    expect(service?.methods.map((m) => `${m.name}(${m.input.typeName}) → ${m.output.typeName}`)).toEqual([
      "GetPrice(forecourt.pricing.v1.GetPriceRequest) → forecourt.pricing.v1.GetPriceResponse",
      "GetPrices(forecourt.pricing.v1.GetPricesRequest) → forecourt.pricing.v1.GetPricesResponse",
    ]);
  });

  test("finds a file by name, and a nested enum's file by its symbol", async () => {
    expect(fileNames(await ask({ case: "fileByFilename", value: "grpc/health/v1/health.proto" }))).toEqual(["grpc/health/v1/health.proto"]);
    expect(fileNames(await ask({ case: "fileContainingSymbol", value: "grpc.health.v1.HealthCheckResponse.ServingStatus" }))).toEqual(["grpc/health/v1/health.proto"]);
  });

  test("answers NOT_FOUND inside the stream, not as a failed call, for an unknown file, symbol or type", async () => {
    for (const request of [
      { case: "fileByFilename", value: "nope.proto" },
      { case: "fileContainingSymbol", value: "nope.Service" },
      { case: "allExtensionNumbersOfType", value: "nope.Message" },
    ] as const) {
      const answer = await ask(request);
      expect(answer.case === "errorResponse" && answer.value.errorCode).toBe(5);
    }
  });

  test("a known message has no extensions", async () => {
    const answer = await ask({ case: "allExtensionNumbersOfType", value: "forecourt.pricing.v1.GetPriceRequest" });
    expect(answer).toEqual({ case: "allExtensionNumbersResponse", value: expect.objectContaining({ baseTypeName: "forecourt.pricing.v1.GetPriceRequest", extensionNumber: [] }) });
  });

  test("v1alpha answers the same as v1, request by request on one stream", async () => {
    const client = createClient(v1alpha.ServerReflection, transport);
    async function* requests() {
      yield create(v1alpha.ServerReflectionRequestSchema, { host: "h", messageRequest: { case: "listServices", value: "" } });
      yield create(v1alpha.ServerReflectionRequestSchema, { messageRequest: { case: "fileContainingSymbol", value: "forecourt.pricing.v1.GetPriceResponse" } });
    }
    const answers = [];
    for await (const answer of client.serverReflectionInfo(requests())) answers.push(answer);
    expect(answers.map((a) => a.messageResponse.case)).toEqual(["listServicesResponse", "fileDescriptorResponse"]);
    expect(answers[0]?.validHost).toBe("h");
    expect(answers[1]?.originalRequest?.messageRequest).toEqual({ case: "fileContainingSymbol", value: "forecourt.pricing.v1.GetPriceResponse" });
  });
});
