/** Handles one listed car: price it, publish the priced event, and only then let the loop ack. */
import { jetstream, type JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { assertEventRules, decodeEvent, encodeEvent, InvalidEventError } from "@forecourt/shared/contracts";
import { PermanentError, publishSpan, type Logger } from "@forecourt/shared/platform";
import { pricedEvent, pricedMsgId, pricedSubject } from "./priced-event.ts";
import type { GetPrice } from "./pricing-client.ts";

export interface PricerCounters {
  priced: number;
  /** Redeliveries whose priced event JetStream already had (dropped as duplicates). */
  duplicates: number;
}

/** `participant`: the stack this pricer belongs to; it is only ever handed that participant's cars. */
export function createPriceHandler(deps: { nc: NatsConnection; getPrice: GetPrice; log: Logger; participant: string; now?: () => Date }) {
  const js = jetstream(deps.nc);
  const now = deps.now ?? (() => new Date());
  const counters: PricerCounters = { priced: 0, duplicates: 0 };

  const handle = async (m: JsMsg) => {
    const started = performance.now();
    let listed;
    try {
      listed = decodeEvent("listed", m.data);
    } catch (error) {
      if (error instanceof InvalidEventError) throw new PermanentError(error.message, { cause: error });
      throw error;
    }
    const quote = await deps.getPrice({ modelCode: listed.modelCode, color: listed.color, year: listed.year });
    const priced = pricedEvent(listed, quote, now());
    // Every reader refuses a price that breaks the contract: never publish one.
    try {
      assertEventRules("priced", priced);
    } catch (error) {
      throw new PermanentError((error as Error).message, { cause: error });
    }
    const subject = pricedSubject(listed, deps.participant);
    const ack = await publishSpan("publish forecourt.vehicles.priced", subject, (headers) =>
      js.publish(subject, encodeEvent("priced", priced), { msgID: pricedMsgId(listed, deps.participant), headers }),
    );
    if (ack.duplicate) counters.duplicates++;
    else counters.priced++;
    deps.log.info("vehicle priced", {
      registration: listed.registration,
      modelCode: listed.modelCode,
      price: quote.price,
      currencyCode: quote.currencyCode,
      pricedBy: quote.pricedBy,
      streamSequence: m.info.streamSequence,
      deliveries: m.info.deliveryCount,
      pricedSequence: ack.seq,
      duplicate: ack.duplicate,
      durationMs: Math.round(performance.now() - started),
    });
  };
  return { handle, counters };
}
