/** What the pricer publishes for a listed car: pure, so the contract is tested without NATS. */
import { vehicleSubject, type VehicleListedEvent, type VehiclePricedEvent } from "@forecourt/shared/contracts";

export interface PriceQuote {
  price: number;
  currencyCode: string;
  /** The participant whose calculator answered. */
  pricedBy: string;
}

export function pricedEvent(listed: VehicleListedEvent, quote: PriceQuote, pricedAt: Date): VehiclePricedEvent {
  return { ...listed, price: quote.price, currencyCode: quote.currencyCode, pricedAt: pricedAt.toISOString(), pricedBy: quote.pricedBy };
}

/** The car's own participant (`origin`) owns its priced event too, whoever's calculator answered. */
export function pricedSubject(listed: VehicleListedEvent, origin: string): string {
  return vehicleSubject("priced", listed.manufacturerCode, listed.modelCode, origin);
}

/**
 * Nats-Msg-Id of the priced event: the same listing always gets the same id, so a redelivery (or a second
 * pricer racing after an ack timeout) is dropped by the stream's duplicate window instead of pricing twice.
 * It names the origin too: a workshop participant's VEHICLES sources every other participant's events, and ids
 * must not collide between them.
 */
export function pricedMsgId(listed: VehicleListedEvent, origin: string): string {
  return `priced:${origin}:${listed.registration}:${listed.listedAt}`;
}
