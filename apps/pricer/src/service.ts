/** How the pricer shows itself to `nats micro ls|info|stats`: a status endpoint and its counters. */
import { statusEndpoint, type ConsumerCounters, type MicroServiceOptions } from "@forecourt/shared/platform";
import type { PricerConfig } from "./config.ts";
import type { PricerCounters } from "./pricer.ts";
import type { Target } from "./round-robin.ts";

export interface PricerServiceDeps {
  name: string;
  version: string;
  config: PricerConfig;
  consumer: ConsumerCounters;
  pricer: PricerCounters;
  /** Each price calculator's state and counters (pricing-pool.ts). */
  targets: () => Target[];
}

export function pricerService({ name, version, config, consumer, pricer, targets }: PricerServiceDeps): MicroServiceOptions {
  const stats = () => ({ ...consumer, ...pricer, pricing: targets() });
  return {
    name,
    version,
    description: "Prices every listed car: JetStream consumer 'pricer' calling the price calculator over gRPC",
    metadata: { consumer: "pricer", pricing: config.pricingUrls.join(","), maxDeliver: String(config.consumer.maxDeliver) },
    endpoints: {
      status: statusEndpoint("forecourt.pricer.status", stats),
    },
    stats,
  };
}
