/**
 * A real gRPC price calculator for tests (connectNodeAdapter on node:http2, h2c, a free port) whose answers
 * the test controls: take it down and bring it back on the same port, make it slow, make it fail.
 */
import { createServer, type Http2Server, type Http2Session } from "node:http2";
import type { HandlerContext } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { PriceCalculatorService, type GetPriceRequest } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";

export type PriceBehaviour = (request: GetPriceRequest, context: HandlerContext) => Promise<{ price: bigint; currencyCode: string }> | { price: bigint; currencyCode: string };

/** Deterministic so a test can check the price it sees: year × 3 + length of the colour. */
export const testPrice = (request: { year: number; color: string }) => request.year * 3 + request.color.length;

export const defaultBehaviour: PriceBehaviour = (request) => ({ price: BigInt(testPrice(request)), currencyCode: "GBP" });

export interface FakePriceCalculator {
  url: string;
  port: number;
  behaviour: PriceBehaviour;
  /** Every call received, with the traceparent it carried. */
  calls: { request: GetPriceRequest; traceparent: string | null }[];
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
