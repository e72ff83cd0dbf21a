/** How the pricer shows itself to `nats micro ls|info|stats`: a status endpoint and its counters. */
import { statusEndpoint, type ConsumerCounters, type MicroServiceOptions } from "@forecourt/shared/platform";
import { pricingTarget, type PricerConfig } from "./config.ts";
import type { PricerCounters } from "./pricer.ts";

export function pricerService(name: string, config: PricerConfig, consumer: ConsumerCounters, pricer: PricerCounters): MicroServiceOptions {
  const stats = () => ({ ...consumer, ...pricer });
  return {
    name,
    version: "0.1.0",
    description: `Prices every listed car: JetStream consumer 'pricer' calling the price calculator over ${config.pricingTransport === "nats" ? "NATS request/reply" : "gRPC"}`,
    metadata: { consumer: "pricer", pricing: pricingTarget(config), maxDeliver: String(config.consumer.maxDeliver) },
    endpoints: {
      status: statusEndpoint("forecourt.pricer.status", stats),
    },
    stats,
  };
}
