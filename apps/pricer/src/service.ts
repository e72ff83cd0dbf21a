/** How the pricer shows itself to `nats micro ls|info|stats`: a status endpoint and its counters. */
import { statusEndpoint, type ConsumerCounters, type MicroServiceOptions, type Readiness } from "@forecourt/shared/platform";
import { pricingTarget, type PricerConfig } from "./config.ts";
import type { PricerCounters } from "./pricer.ts";
import type { Target } from "./round-robin.ts";

export interface PricerServiceDeps {
  name: string;
  version: string;
  config: PricerConfig;
  consumer: ConsumerCounters;
  pricer: PricerCounters;
  readiness: Pick<Readiness, "summary">;
  /** Each price calculator's state and counters over gRPC (pricing-pool.ts); none over NATS. */
  targets: () => Target[];
}

export function pricerService({ name, version, config, consumer, pricer, readiness, targets }: PricerServiceDeps): MicroServiceOptions {
  const stats = () => ({ ...consumer, ...pricer, ...readiness.summary(), pricing: targets() });
  return {
    name,
    version,
    description: `Prices every listed car: JetStream consumer 'pricer' calling the price calculator over ${config.pricingTransport === "nats" ? "NATS request/reply" : "gRPC"}`,
    metadata: { consumer: "pricer", pricing: pricingTarget(config), maxDeliver: String(config.consumer.maxDeliver) },
    endpoints: {
      status: statusEndpoint("forecourt.pricer.status", stats),
    },
    stats,
  };
}
