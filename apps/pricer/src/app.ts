/** The pricer, started on a NATS connection it is given (main.ts wires it). */
import { jetstreamManager } from "@nats-io/jetstream";
import { CONSUMERS, SERVICES, STREAMS, SUBJECTS } from "@forecourt/shared/contracts";
import { ensureStreams, registerMicroService, startDurableConsumer, stopInOrder, type AppDeps, type RunningApp } from "@forecourt/shared/platform";
import { version } from "../package.json";
import type { PricerConfig } from "./config.ts";
import { createPriceHandler } from "./pricer.ts";
import { isPermanentPricingError } from "./pricing-client.ts";
import { createPricingPool } from "./pricing-pool.ts";
import { pricerService } from "./service.ts";

export async function startPricer({ nc, log, config }: AppDeps<PricerConfig>): Promise<RunningApp> {
  await ensureStreams(await jetstreamManager(nc), { replicas: config.replicas });
  const pricing = createPricingPool({ urls: config.pricingUrls, timeoutMs: config.pricingTimeoutMs, log });
  const pricer = createPriceHandler({ nc, getPrice: pricing.getPrice, log });
  const consumer = await startDurableConsumer({
    nc, log, stream: STREAMS.vehicles.name, durable: CONSUMERS.pricer, filterSubject: SUBJECTS.listed,
    description: "Prices every listed car", settings: config.consumer, handle: pricer.handle, isPermanent: isPermanentPricingError,
  });
  const micro = await registerMicroService(nc, pricerService({ name: SERVICES.pricer, version, config, consumer: consumer.counters, pricer: pricer.counters, targets: pricing.targets }));
  log.info("ready", { nats: nc.getServer(), pricing: config.pricingUrls.join(","), service: SERVICES.pricer, instance: micro.info().id });
  // Stop taking messages first and finish the ones in flight, then leave the service list.
  return { stop: stopInOrder([() => consumer.stop(), () => pricing.stop(), () => micro.stop()]) };
}
