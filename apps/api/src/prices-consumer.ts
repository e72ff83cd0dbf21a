/**
 * Consumes forecourt.vehicles.priced.> with the durable consumer `api-prices`, shared by every API instance
 * (each price is handled once), and stores the price on the vehicle in KV, where every instance sees it.
 */
import { CONSUMERS, STREAMS, SUBJECTS, decodeEvent, InvalidEventError } from "@forecourt/shared/contracts";
import { traceFromHeaders, withTrace, type Logger } from "@forecourt/shared/platform";
import { AckPolicy, DeliverPolicy, headers as natsHeaders, type JetStreamClient, type JetStreamManager, type JsMsg } from "nats";
import type { VehicleStore } from "./vehicles/vehicle-store.ts";

const MAX_DELIVER = 10;

export async function consumePrices(js: JetStreamClient, jsm: JetStreamManager, store: VehicleStore, log: Logger): Promise<{ stop(): void }> {
  try {
    await jsm.consumers.info(STREAMS.vehicles.name, CONSUMERS.api);
  } catch {
    await jsm.consumers.add(STREAMS.vehicles.name, {
      durable_name: CONSUMERS.api,
      filter_subject: SUBJECTS.priced,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      max_deliver: MAX_DELIVER,
      ack_wait: 30_000_000_000,
      description: "The API records each price on its vehicle",
    });
  }
  const consumer = await js.consumers.get(STREAMS.vehicles.name, CONSUMERS.api);
  const messages = await consumer.consume({ max_messages: 100 });
  void (async () => {
    for await (const m of messages) await withTrace(traceFromHeaders(m.headers), () => handle(m));
  })();

  async function handle(m: JsMsg) {
    const started = Date.now();
    let event;
    try {
      event = decodeEvent("priced", m.data);
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      await deadLetter(m, error.message);
      m.term();
      log.warn("priced event rejected", { subject: m.subject, reason: error.message });
      return;
    }
    try {
      const outcome = await store.recordPrice(event.registration, event.listedAt, {
        amount: event.price,
        currencyCode: event.currencyCode,
        pricedAt: event.pricedAt,
      });
      m.ack();
      log.info("price recorded", { registration: event.registration, outcome, price: event.price, durationMs: Date.now() - started });
    } catch (error) {
      // NATS or KV unavailable for now: try again later, a little later each time.
      m.nak(Math.min(30_000, 500 * 2 ** m.info.deliveryCount));
      log.warn("price not recorded yet", { registration: event.registration, error });
    }
  }

  async function deadLetter(m: JsMsg, reason: string) {
    const h = natsHeaders();
    for (const key of m.headers?.keys() ?? []) for (const value of m.headers!.values(key)) h.append(key, value);
    h.set("Forecourt-Reason", reason);
    h.set("Forecourt-Original-Subject", m.subject);
    h.set("Forecourt-Consumer", CONSUMERS.api);
    await js.publish(`forecourt.deadletter.${CONSUMERS.api}`, m.data, { headers: h, msgID: `${CONSUMERS.api}-${m.seq}` });
  }

  return { stop: () => messages.stop() };
}
