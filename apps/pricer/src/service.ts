/** How the pricer shows itself to `nats micro ls|info|stats`: a status endpoint and its counters. */
import { statusEndpoint, type ConsumerCounters, type MicroServiceOptions, type Readiness } from "@forecourt/shared/platform";
import type { PricerConfig } from "./config.ts";
import type { PricerCounters } from "./pricer.ts";

export function pricerService(name: string, config: PricerConfig, consumer: ConsumerCounters, pricer: PricerCounters, readiness: Pick<Readiness, "summary">): MicroServiceOptions {
  const stats = () => ({ ...consumer, ...pricer, ...readiness.summary() });
  return {
    name,
    version: "0.1.0",
    description: "Prices every listed car: JetStream consumer 'pricer' calling the price calculator over gRPC",
    metadata: { consumer: "pricer", pricing: config.pricingUrl, maxDeliver: String(config.consumer.maxDeliver) },
    endpoints: {
      status: statusEndpoint("forecourt.pricer.status", stats),
    },
    stats,
  };
}
