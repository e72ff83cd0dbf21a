import { expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import { createClient, createRouterTransport } from "@connectrpc/connect";
import { PriceCalculatorService } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";
import { Health, HealthCheckResponse_ServingStatus as Status, HealthCheckResponseSchema } from "@forecourt/shared/gen/grpc/health/v1/health_pb";
import { createLogger } from "@forecourt/shared/platform";
import { createRpcInterceptor } from "./rpc-interceptor.ts";

test("an answered health check is logged at debug, so probes every second do not drown the price calls", async () => {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ service: "pricing", level: "debug", write: (line) => lines.push(JSON.parse(line)) });
  const transport = createRouterTransport(
    (router) => {
      router.service(Health, { check: () => create(HealthCheckResponseSchema, { status: Status.SERVING }), async *watch() {} });
      router.service(PriceCalculatorService, { getPrice: () => ({ price: 1n, currencyCode: "GBP" }) });
    },
    { router: { interceptors: [createRpcInterceptor(log)] } },
  );
  await createClient(Health, transport).check({ service: "" });
  await createClient(PriceCalculatorService, transport).getPrice({ modelCode: "ford-fiesta", color: "Blue", year: 2015 });
  expect(lines.filter((l) => l.msg === "rpc").map((l) => [l.rpc, l.level])).toEqual([
    ["grpc.health.v1.Health/Check", "debug"],
    ["forecourt.pricing.v1.PriceCalculatorService/GetPrice", "info"],
  ]);
});
