/**
 * The GetPrice calls that start in one turn of the event loop (the cars a pull delivered together) go to the
 * price calculator as one GetPrices call: a gRPC call costs the two processes far more than pricing a car, so
 * at a thousand cars a second one call per car is most of the pricer's and the calculator's work. Each caller
 * still gets its own car's price or error (a NotFound stays permanent, an outage stays worth retrying), and
 * each car's trace travels with it.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { activeContext, type Context } from "@forecourt/shared/platform";
import type { GetPrice, PriceRequest } from "./pricing-client.ts";
import type { PriceQuote } from "./priced-event.ts";

export interface BatchedCar {
  request: PriceRequest;
  /** The context the caller was in (its consumer span), which the car's price call continues. */
  context: Context;
}

/**
 * Prices cars in one call, reporting each car's quote or own error as soon as it is known (`index` into
 * `cars`); resolves when the call ends, rejects when it fails (cars without a result by then get that error).
 */
export type GetPrices = (cars: BatchedCar[], onResult: (index: number, outcome: PriceQuote | ConnectError) => void) => Promise<void>;

export interface BatchOptions {
  /** Cars per call at most; a full batch goes at once. */
  maxBatch: number;
  /** When a started batch is sent: at the end of this turn of the event loop. */
  schedule?: (send: () => void) => void;
}

interface Waiting extends BatchedCar {
  resolve: (quote: PriceQuote) => void;
  reject: (error: unknown) => void;
}

export function batchedGetPrice(getPrices: GetPrices, { maxBatch, schedule = setImmediate }: BatchOptions): GetPrice {
  let waiting: Waiting[] = [];
  const send = () => {
    const batch = waiting;
    waiting = [];
    if (!batch.length) return;
    const done = new Set<number>();
    const settle = (index: number, outcome: PriceQuote | ConnectError) => {
      const car = batch[index];
      if (!car || done.has(index)) return;
      done.add(index);
      if (outcome instanceof Error) car.reject(outcome);
      else car.resolve(outcome);
    };
    const rest = (error: ConnectError) => batch.forEach((_, i) => settle(i, error));
    getPrices(
      batch.map(({ request, context }) => ({ request, context })),
      settle,
    ).then(
      () => rest(new ConnectError("the price calculator sent no result for this car", Code.Internal)),
      (error: unknown) => rest(ConnectError.from(error)),
    );
  };
  return (request) =>
    new Promise<PriceQuote>((resolve, reject) => {
      if (!waiting.length) schedule(send);
      waiting.push({ request, context: activeContext(), resolve, reject });
      if (waiting.length >= maxBatch) send();
    });
}
