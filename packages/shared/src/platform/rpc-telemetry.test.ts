import { afterAll, expect, test } from "bun:test";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace";
import { PriceCalculatorService } from "../gen/forecourt/pricing/v1/pricing_pb.ts";
import { metricsRegistry } from "./metrics.ts";
import { parsePrometheusText, sampleSum } from "../testing/prometheus-text.ts";
import { grpcCodeName, rpcClientTelemetry, rpcServerTelemetry } from "./rpc-telemetry.ts";
import { inSpan, SpanKind } from "./spans.ts";
import { startTracing } from "./tracing.ts";

const exporter = new InMemorySpanExporter();
const tracing = await startTracing({ service: "rpc-test", processor: new SimpleSpanProcessor({ exporter }) });
afterAll(() => tracing.stop());

const transport = createRouterTransport(
  (router) =>
    router.service(PriceCalculatorService, {
      getPrice(request) {
        if (request.modelCode === "unknown") throw new ConnectError("no such model", Code.NotFound);
        return { price: 100n, currencyCode: "GBP" };
      },
    }),
  { router: { interceptors: [rpcServerTelemetry()] }, transport: { interceptors: [rpcClientTelemetry] } },
);
const client = createClient(PriceCalculatorService, transport);
const labels = (code: string) => ({ service: "forecourt.pricing.v1.PriceCalculatorService", method: "GetPrice", code });
const count = async (name: string, code: string) => sampleSum(parsePrometheusText(await metricsRegistry.metrics()), name, labels(code));

test("calls are counted and timed by service, method and gRPC status code", async () => {
  const [ok, notFound] = [await count("forecourt_rpc_requests_total", "OK"), await count("forecourt_rpc_requests_total", "NotFound")];
  await client.getPrice({ modelCode: "ford-fiesta", color: "Blue", year: 2015 });
  await client.getPrice({ modelCode: "ford-fiesta", color: "Blue", year: 2016 });
  await expect(client.getPrice({ modelCode: "unknown", color: "Blue", year: 2015 })).rejects.toThrow("no such model");
  expect(await count("forecourt_rpc_requests_total", "OK")).toBe(ok + 2);
  expect(await count("forecourt_rpc_requests_total", "NotFound")).toBe(notFound + 1);
  expect(await count("forecourt_rpc_request_duration_seconds_count", "OK")).toBe(ok + 2);
});

test("a call is a CLIENT span in the caller's trace and a SERVER span under it; a failed call marks both", async () => {
  exporter.reset();
  await inSpan("price a car", {}, () => client.getPrice({ modelCode: "ford-fiesta", color: "Blue", year: 2015 }));
  const spans = exporter.getFinishedSpans();
  const [caller, clientSpan, serverSpan] = ["price a car", SpanKind.CLIENT, SpanKind.SERVER].map((k) => spans.find((s) => (typeof k === "string" ? s.name === k : s.kind === k))!);
  expect(clientSpan!.name).toBe("forecourt.pricing.v1.PriceCalculatorService/GetPrice");
  expect(clientSpan!.parentSpanContext?.spanId).toBe(caller!.spanContext().spanId);
  expect(serverSpan!.parentSpanContext?.spanId).toBe(clientSpan!.spanContext().spanId);
  expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);

  exporter.reset();
  await client.getPrice({ modelCode: "unknown", color: "Blue", year: 2015 }).catch(() => undefined);
  const failed = exporter.getFinishedSpans();
  expect(failed.map((s) => s.status.code)).toEqual([2, 2]);
  expect(failed.find((s) => s.kind === SpanKind.SERVER)!.attributes["rpc.grpc.status_code"]).toBe(Code.NotFound);
});

test("gRPC code names are the ones grpc-go reports", () => {
  expect(grpcCodeName(undefined)).toBe("OK");
  expect(grpcCodeName(new ConnectError("x", Code.DeadlineExceeded))).toBe("DeadlineExceeded");
  expect(grpcCodeName(new Error("x"))).toBe("Unknown");
});
