/**
 * A real gRPC price calculator for tests (connectNodeAdapter on node:http2, h2c, a free port) whose answers
 * the test controls: take it down and bring it back on the same port, make it slow, make it fail.
 */
import { createServer, type Http2Server, type Http2Session } from "node:http2";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { PriceCalculatorService, type GetPriceRequest } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";

type GetPricesResult = { case: "price"; value: { price: bigint; currencyCode: string } } | { case: "error"; value: { code: number; message: string } };

export type PriceBehaviour = (request: GetPriceRequest, context: HandlerContext) => Promise<{ price: bigint; currencyCode: string }> | { price: bigint; currencyCode: string };

/** Deterministic so a test can check the price it sees: year × 3 + length of the colour. */
export const testPrice = (request: { year: number; color: string }) => request.year * 3 + request.color.length;

export const defaultBehaviour: PriceBehaviour = (request) => ({ price: BigInt(testPrice(request)), currencyCode: "GBP" });

export interface FakePriceCalculator {
  url: string;
  port: number;
  behaviour: PriceBehaviour;
  /** Every car asked for, with the traceparent it carried (its own in a GetPrices call). */
  calls: { request: GetPriceRequest; traceparent: string | null }[];
  /** How many GetPrices calls arrived (each may carry many cars). */
  batchCalls: number;
  /** False: answer GetPrices with Unimplemented, as a calculator from before it existed. */
  batches: boolean;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startFakePriceCalculator(): Promise<FakePriceCalculator> {
  const sessions = new Set<Http2Session>();
  let server: Http2Server | undefined;
  let port = 0;
  const fake: FakePriceCalculator = {
    url: "",
    port: 0,
    behaviour: defaultBehaviour,
    calls: [],
    batchCalls: 0,
    batches: true,
    async down() {
      if (!server) return;
      const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
      // Cut live connections too, as a crashed process would: close() alone waits for clients to leave.
      for (const session of sessions) session.destroy();
      sessions.clear();
      await closing;
      server = undefined;
    },
    async up() {
      if (server) return;
      const handler = connectNodeAdapter({
        routes: (router) =>
          router.service(PriceCalculatorService, {
            getPrice: (request, context) => {
              fake.calls.push({ request, traceparent: context.requestHeader.get("traceparent") });
              return fake.behaviour(request, context);
            },
            // Every car at once, each result sent as it is ready: a car the test holds up holds up no other.
            async *getPrices({ cars, traceparents }, context) {
              if (!fake.batches) throw new ConnectError("this price calculator predates GetPrices", Code.Unimplemented);
              fake.batchCalls++;
              const ready: { index: number; result: GetPricesResult }[] = [];
              let wake: (() => void) | undefined;
              for (const [index, request] of cars.entries()) {
                fake.calls.push({ request, traceparent: traceparents[index] || null });
                void Promise.resolve()
                  .then(() => fake.behaviour(request, context))
                  .then(
                    (value): GetPricesResult => ({ case: "price", value }),
                    (error: unknown): GetPricesResult => ({ case: "error", value: { code: ConnectError.from(error).code, message: ConnectError.from(error).rawMessage } }),
                  )
                  .then((result) => {
                    ready.push({ index, result });
                    wake?.();
                  });
              }
              for (let sent = 0; sent < cars.length; sent++) {
                while (!ready.length) await new Promise<void>((resolve) => (wake = resolve));
                yield ready.shift()!;
              }
            },
          }),
      });
      server = createServer(handler);
      server.on("session", (session) => {
        sessions.add(session);
        session.on("close", () => sessions.delete(session));
      });
      await new Promise<void>((resolve, reject) => {
        server!.once("error", reject);
        server!.listen(port, "127.0.0.1", () => resolve());
      });
      port = (server.address() as { port: number }).port;
      fake.port = port;
      fake.url = `http://127.0.0.1:${port}`;
    },
    close: () => fake.down(),
  };
  await fake.up();
  return fake;
}
