/**
 * Records each price on its vehicle: forecourt.vehicles.priced.*.*.<participant> through the shared durable consumer `api-prices`
 * (one durable for every API instance, so each price is handled once), stored in KV where every instance sees it.
 * Built on the shared consumer loop: KV or NATS trouble is retried with growing delays, and a priced event that
 * breaks the contract is dead-lettered at once with the standard headers, so `bun run dlq` lists and redrives it.
 */
import { durables, decodeEvent, InvalidEventError } from "@forecourt/shared/contracts";
import { DEFAULT_CONSUMER_SETTINGS, startDurableConsumer, type ConsumerSettings, type Logger, type RunningConsumer } from "@forecourt/shared/platform";
import type { JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { VehicleStore } from "./vehicles/vehicle-store.ts";

export function createPriceRecorder(store: VehicleStore, log: Logger): (m: JsMsg) => Promise<void> {
  return async (m) => {
    const started = performance.now();
    const event = decodeEvent("priced", m.data);
    const outcome = await store.recordPrice(event.registration, event.listedAt, {
      amount: event.price,
      currencyCode: event.currencyCode,
      pricedAt: event.pricedAt,
    });
    log.info("price recorded", { registration: event.registration, outcome, price: event.price, deliveries: m.info.deliveryCount, durationMs: Math.round(performance.now() - started) });
  };
}

/** Only the participant's own cars: in a workshop VEHICLES also holds other participants' prices, for their own APIs. */
export function consumePrices(nc: NatsConnection, store: VehicleStore, log: Logger, participant: string, settings: ConsumerSettings = DEFAULT_CONSUMER_SETTINGS): Promise<RunningConsumer> {
  return startDurableConsumer({
    nc,
    log,
    ...durables(participant).api,
    settings,
    handle: createPriceRecorder(store, log),
    isPermanent: (error) => error instanceof InvalidEventError,
  });
}
