/**
 * Where the pricer's prices come from, as PRICING_TRANSPORT says: over gRPC every calculator in PRICING_URL
 * round-robin (pricing-pool.ts), the cars whose handling starts in one turn of the event loop sharing one
 * GetPrices call (at most one per message in flight); over NATS one request per car to
 * forecourt.pricing.get-price, which any participant's calculator may answer (no GetPrices over NATS).
 */
import type { Logger } from "@forecourt/shared/platform";
import type { NatsConnection } from "@nats-io/transport-node";
import type { PricerConfig } from "./config.ts";
import { batchedGetPrice } from "./price-batches.ts";
import { createNatsGetPrice, type GetPrice } from "./pricing-client.ts";
import { createPricingPool, type PricingPool } from "./pricing-pool.ts";

export function createConfiguredPricing(nc: NatsConnection, config: PricerConfig, log: Logger): { getPrice: GetPrice; pool?: PricingPool } {
  if (config.pricingTransport === "nats") return { getPrice: createNatsGetPrice(nc, config.pricingTimeoutMs) };
  const pool = createPricingPool({ urls: config.pricingUrls, timeoutMs: config.pricingTimeoutMs, pricedBy: config.participant, log });
  return { getPrice: batchedGetPrice(pool.getPrices, { maxBatch: config.consumer.concurrency }), pool };
}
