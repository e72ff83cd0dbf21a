import { afterAll, describe, expect, test } from "bun:test";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { PriceCalculatorService } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";
import { createLogger, SpanKind } from "@forecourt/shared/platform";
import { captureSpans, newTraceparent } from "@forecourt/shared/testing";
import { createPriceCalculator, MAX_CARS_PER_CALL, type PriceCalculator } from "./pricing-service.ts";
import { createRoutes, routerOptions } from "./routes.ts";
import type { RpcStats } from "./rpc-interceptor.ts";

const { exporter, tracing } = await captureSpans("pricing-test");
afterAll(() => tracing.stop());

const catalog = new Map([["ford-fiesta", { code: "ford-fiesta", manufacturerCode: "ford", name: "Fiesta", basePrice: 19_500 }]]);

function setup(calculator: PriceCalculator = createPriceCalculator({ catalog: { model: (code) => catalog.get(code) }, currentYear: () => 2026 }), defaultTimeoutMs = 5_000) {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ service: "pricing", write: (line) => lines.push(JSON.parse(line)) });
  const stats: RpcStats = {};
  const transport = createRouterTransport(createRoutes({ calculator, isServing: async () => true }), { router: routerOptions({ log, defaultTimeoutMs, stats }) });
  return { client: createClient(PriceCalculatorService, transport), lines, stats };
}

async function rejection(promise: Promise<unknown>): Promise<ConnectError> {
  try {
    await promise;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("expected the call to fail");
}

/** A calculator whose GetPrice does what the test says (GetPrices is not used by these tests). */
const calculatorWith = (getPrice: PriceCalculator["getPrice"]): PriceCalculator => ({
  getPrice,
  getPrices: () => {
    throw new Error("not used");
  },
});
const collect = async <T>(stream: AsyncIterable<T>) => {
  const all: T[] = [];
  for await (const item of stream) all.push(item);
  return all;
};
const never = calculatorWith(() => new Promise(() => {}));

describe("GetPrice", () => {
  test("prices a catalog model in whole pounds sterling, showing how the price was reached", async () => {
    const { client } = setup();
    const answer = await client.getPrice({ modelCode: "ford-fiesta", color: "Metallic Black", year: 2015 });
    expect(answer.price).toBe(4_700n);
    expect(answer.currencyCode).toBe("GBP");
    expect(answer.breakdown).toMatchObject({ basePrice: 19_500n, ageYears: 11, retainedBasisPoints: 2_340, colorAdjustmentBasisPoints: 300, floorApplied: false });
  });

  test("an unknown model answers NOT_FOUND naming it", async () => {
    const error = await rejection(setup().client.getPrice({ modelCode: "ford-model-t", color: "Black", year: 1920 }));
    expect(error.code).toBe(Code.NotFound);
    expect(error.rawMessage).toContain("ford-model-t");
  });

  test("a bad model code, year or colour answers INVALID_ARGUMENT naming the field", async () => {
    const { client } = setup();
    const cases = [
      [{ modelCode: " ", color: "Blue", year: 2015 }, "model_code"],
      [{ modelCode: "ford-fiesta", color: "Blue", year: 1850 }, "year"],
      [{ modelCode: "ford-fiesta", color: "Blue" }, "year"],
      [{ modelCode: "ford-fiesta", color: "", year: 2015 }, "color"],
      [{ modelCode: "ford-fiesta", color: "b".repeat(40), year: 2015 }, "color"],
    ] as const;
    for (const [request, field] of cases) {
      const error = await rejection(client.getPrice(request));
      expect(error.code).toBe(Code.InvalidArgument);
      expect(error.rawMessage).toStartWith(field);
    }
  });

  test("an unexpected failure answers INTERNAL without its message, which only the log sees", async () => {
    const { client, lines } = setup(calculatorWith(async () => Promise.reject(new Error("secret connection string"))));
    const error = await rejection(client.getPrice({ modelCode: "ford-fiesta", color: "Blue", year: 2015 }));
    expect(error.code).toBe(Code.Internal);
    expect(error.rawMessage).not.toContain("secret");
    expect(lines.find((l) => l.msg === "rpc")).toMatchObject({ level: "error", code: "Internal", error: { message: "secret connection string" } });
  });

  test("every call logs one summary line in the caller's trace and is counted by outcome", async () => {
    const { client, lines, stats } = setup();
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    await client.getPrice({ modelCode: "ford-fiesta", color: "Blue", year: 2015 }, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    await rejection(client.getPrice({ modelCode: "nope", color: "Blue", year: 2015 }));
    const summaries = lines.filter((l) => l.msg === "rpc");
    expect(summaries).toHaveLength(2);
    expect(summaries[0]).toMatchObject({ traceId, rpc: "forecourt.pricing.v1.PriceCalculatorService/GetPrice", code: "ok" });
    expect(summaries[1]).toMatchObject({ level: "info", code: "NotFound" });
    expect(stats["forecourt.pricing.v1.PriceCalculatorService/GetPrice"]).toEqual({ ok: 1, NotFound: 1 });
  });
});

describe("deadlines", () => {
  test("a call that outlives the client's deadline answers DEADLINE_EXCEEDED", async () => {
    const { client, lines } = setup(never);
    const error = await rejection(client.getPrice({ modelCode: "ford-fiesta", color: "Blue", year: 2015 }, { timeoutMs: 50 }));
    expect(error.code).toBe(Code.DeadlineExceeded);
    expect(lines.find((l) => l.msg === "rpc")).toMatchObject({ code: "DeadlineExceeded" });
  });

  test("a call without a deadline is stopped at the server's limit", async () => {
    const { client, lines } = setup(never, 50);
    const error = await rejection(client.getPrice({ modelCode: "ford-fiesta", color: "Blue", year: 2015 }));
    expect(error.code).toBe(Code.DeadlineExceeded);
    expect(lines.find((l) => l.msg === "rpc")?.reason).toContain("server's time limit");
  });

  test("a deadline that has already passed on arrival is not worked on", async () => {
    let calls = 0;
    const { client } = setup(calculatorWith(async () => (calls++, Promise.reject(new Error("should not run")))));
    const error = await rejection(client.getPrice({ modelCode: "ford-fiesta", color: "Blue", year: 2015 }, { headers: { "connect-timeout-ms": "0" } }));
    expect(error.code).toBe(Code.DeadlineExceeded);
    expect(calls).toBe(0);
  });
});

describe("GetPrices", () => {
  test("prices each car as GetPrice would, in order, with a car's own error in its place", async () => {
    const { client, lines } = setup();
    const cars = [
      { modelCode: "ford-fiesta", color: "Metallic Black", year: 2015 },
      { modelCode: "ford-model-t", color: "Black", year: 1920 },
      { modelCode: "ford-fiesta", color: "Blue", year: 1850 },
      { modelCode: "ford-fiesta", color: "Blue", year: 2020 },
    ];
    const results = await collect(client.getPrices({ cars }));
    expect(results.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(results.map((r) => r.result.case)).toEqual(["price", "error", "error", "price"]);
    for (const [i, car] of cars.entries()) {
      const one = await client.getPrice(car).then(
        (answer) => ({ case: "price", answer }),
        (error: unknown) => ({ case: "error", code: ConnectError.from(error).code, message: ConnectError.from(error).rawMessage }),
      );
      const result = results[i]!.result;
      if (result.case === "price") expect(one).toEqual({ case: "price", answer: result.value });
      else expect(one).toEqual({ case: "error", code: result.value!.code, message: result.value!.message });
    }
    expect(lines.filter((l) => l.rpc === "forecourt.pricing.v1.PriceCalculatorService/GetPrices")).toHaveLength(1);
  });

  test("the call's one summary line names the trace id of every car that sent one", async () => {
    const { client, lines } = setup();
    const [a, b] = [newTraceparent(), newTraceparent()];
    const car = { modelCode: "ford-fiesta", color: "Blue", year: 2015 };
    await collect(client.getPrices({ cars: [car, car, car], traceparents: [a.traceparent, "garbage", b.traceparent] }));
    expect(lines.filter((l) => l.msg === "rpc").map((l) => l.traceIds)).toEqual([[a.traceId, b.traceId]]);
  });

  test("a car that sends a traceparent is priced in a SERVER span under it, failed when its price is", async () => {
    const { client } = setup();
    const [a, b] = [newTraceparent(), newTraceparent()];
    const car = { modelCode: "ford-fiesta", color: "Blue", year: 2015 };
    exporter.reset();
    await collect(client.getPrices({ cars: [car, { ...car, modelCode: "ford-model-t" }, car], traceparents: [a.traceparent, b.traceparent, ""] }));
    const cars = exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER && span.parentSpanContext);
    expect(cars.map((span) => [span.spanContext().traceId, span.parentSpanContext?.spanId, span.status.code])).toEqual([
      [a.traceId, a.spanId, 0],
      [b.traceId, b.spanId, 2],
    ]);
  });

  test("more cars than one call may carry is INVALID_ARGUMENT for the whole call", async () => {
    const car = { modelCode: "ford-fiesta", color: "Blue", year: 2015 };
    const error = await rejection(collect(setup().client.getPrices({ cars: Array.from({ length: MAX_CARS_PER_CALL + 1 }, () => car) })));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.rawMessage).toBe(`cars: at most ${MAX_CARS_PER_CALL} per call, got ${MAX_CARS_PER_CALL + 1}`);
    expect(await collect(setup().client.getPrices({ cars: [] }))).toEqual([]);
  });
});
