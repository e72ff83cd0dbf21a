/** How the pricer shows itself to `nats micro ls|info|stats`: a status endpoint and its counters. */
import { statusEndpoint, type ConsumerCounters, type MicroServiceOptions } from "@forecourt/shared/platform";
import type { PricerConfig } from "./config.ts";
import type { PricerCounters } from "./pricer.ts";
import type { Target } from "./round-robin.ts";

export function pricerService(name: string, config: PricerConfig, consumer: ConsumerCounters, pricer: PricerCounters, targets: () => Target[]): MicroServiceOptions {
  const stats = () => ({ ...consumer, ...pricer, pricing: targets() });
  return {
    name,
    version: "0.1.0",
    description: "Prices every listed car: JetStream consumer 'pricer' calling the price calculator over gRPC",
    metadata: { consumer: "pricer", pricing: config.pricingUrls.join(","), maxDeliver: String(config.consumer.maxDeliver) },
    endpoints: {
      status: statusEndpoint("forecourt.pricer.status", stats),
    },
    stats,
  };
}
