/** What the pricer publishes for a listed car: pure, so the contract is tested without NATS. */
import { vehicleSubject, type VehicleListedEvent, type VehiclePricedEvent } from "@forecourt/shared/contracts";

export interface PriceQuote {
  price: number;
  currencyCode: string;
}

export function pricedEvent(listed: VehicleListedEvent, quote: PriceQuote, pricedAt: Date): VehiclePricedEvent {
  return { ...listed, price: quote.price, currencyCode: quote.currencyCode, pricedAt: pricedAt.toISOString() };
}

export function pricedSubject(listed: VehicleListedEvent): string {
  return vehicleSubject("priced", listed.manufacturerCode, listed.modelCode);
}

/**
 * Nats-Msg-Id of the priced event: the same listing always gets the same id, so a redelivery (or a second
 * pricer racing after an ack timeout) is dropped by the stream's duplicate window instead of pricing twice.
 */
export function pricedMsgId(listed: VehicleListedEvent): string {
  return `priced:${listed.registration}:${listed.listedAt}`;
}
