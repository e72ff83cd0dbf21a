/** The pricer, started on a NATS connection it is given (main.ts wires it). */
import { jetstreamManager } from "@nats-io/jetstream";
import { CONSUMERS, SERVICES, STREAMS, vehicleFilter } from "@forecourt/shared/contracts";
import { ensureStreams, registerMicroService, startDurableConsumer, stopInOrder, type AppDeps, type RunningApp } from "@forecourt/shared/platform";
import { version } from "../package.json";
import { pricingTarget, type PricerConfig } from "./config.ts";
import { createPriceHandler } from "./pricer.ts";
import { createConfiguredGetPrice, isPermanentPricingError } from "./pricing-client.ts";
import { pricerService } from "./service.ts";

export async function startPricer({ nc, log, config }: AppDeps<PricerConfig>): Promise<RunningApp> {
  await ensureStreams(await jetstreamManager(nc), config.participant);
  const pricer = createPriceHandler({ nc, getPrice: createConfiguredGetPrice(nc, config), log, participant: config.participant });
  // Only this participant's cars: in a workshop VEHICLES also holds the others', which their own pricers price.
  const consumer = await startDurableConsumer({
    nc, log, stream: STREAMS.vehicles.name, durable: CONSUMERS.pricer, filterSubject: vehicleFilter({ kind: "listed", origin: config.participant }),
    description: "Prices every listed car", settings: config.consumer, handle: pricer.handle, isPermanent: isPermanentPricingError,
  });
  const micro = await registerMicroService(nc, pricerService({ name: SERVICES.pricer, version, config, consumer: consumer.counters, pricer: pricer.counters }));
  log.info("ready", { nats: nc.getServer(), pricing: pricingTarget(config), participant: config.participant, service: SERVICES.pricer, instance: micro.info().id });
  // Stop taking messages first and finish the ones in flight, then leave the service list.
  return { stop: stopInOrder([() => consumer.stop(), () => micro.stop()]) };
}
