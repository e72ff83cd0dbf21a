/** The pricer, started on a NATS connection it is given (main.ts wires it). */
import { jetstreamManager } from "@nats-io/jetstream";
import { DURABLES, SERVICES } from "@forecourt/shared/contracts";
import { ensureStreams, registerMicroService, startDurableConsumer, stopInOrder, type AppDeps, type RunningApp } from "@forecourt/shared/platform";
import { version } from "../package.json";
import type { PricerConfig } from "./config.ts";
import { createPriceHandler } from "./pricer.ts";
import { createGetPrice, createPricingTransport, isPermanentPricingError } from "./pricing-client.ts";
import { pricerService } from "./service.ts";

export async function startPricer({ nc, log, config }: AppDeps<PricerConfig>): Promise<RunningApp> {
  await ensureStreams(await jetstreamManager(nc));
  const getPrice = createGetPrice(createPricingTransport(config.pricingUrl), config.pricingTimeoutMs);
  const pricer = createPriceHandler({ nc, getPrice, log });
  const consumer = await startDurableConsumer({
    nc, log, ...DURABLES.pricer, settings: config.consumer, handle: pricer.handle, isPermanent: isPermanentPricingError,
  });
  const micro = await registerMicroService(nc, pricerService({ name: SERVICES.pricer, version, config, consumer: consumer.counters, pricer: pricer.counters }));
  log.info("ready", { nats: nc.getServer(), pricing: config.pricingUrl, service: SERVICES.pricer, instance: micro.info().id });
  // Stop taking messages first and finish the ones in flight, then leave the service list.
  return { stop: stopInOrder([() => consumer.stop(), () => micro.stop()]) };
}
