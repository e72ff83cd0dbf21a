/** The pricer, started on a NATS connection it is given (main.ts wires it). */
import { jetstreamManager } from "@nats-io/jetstream";
import { CONSUMERS, SERVICES, STREAMS, SUBJECTS } from "@forecourt/shared/contracts";
import { createReadiness, ensureStreams, registerMicroService, startDurableConsumer, stopInOrder, streamDependency, type AppDeps, type RunningApp } from "@forecourt/shared/platform";
import { version } from "../package.json";
import type { PricerConfig } from "./config.ts";
import { createPriceHandler } from "./pricer.ts";
import { createGetPrice, createPricingTransport, isPermanentPricingError } from "./pricing-client.ts";
import { pricingDependency } from "./pricing-health.ts";
import { pricerService } from "./service.ts";

export async function startPricer({ nc, log, config }: AppDeps<PricerConfig>): Promise<RunningApp> {
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm);
  const transport = createPricingTransport(config.pricingUrl);
  const getPrice = createGetPrice(transport, config.pricingTimeoutMs);
  const pricer = createPriceHandler({ nc, getPrice, log });
  const consumer = await startDurableConsumer({
    nc, log, stream: STREAMS.vehicles.name, durable: CONSUMERS.pricer, filterSubject: SUBJECTS.listed,
    description: "Prices every listed car", settings: config.consumer, handle: pricer.handle, isPermanent: isPermanentPricingError,
  });
  const streams = { repair: () => ensureStreams(jsm) };
  const readiness = createReadiness({
    nc, log,
    dependencies: [streamDependency(jsm, STREAMS.vehicles.name, streams), streamDependency(jsm, STREAMS.deadLetter.name, streams), consumer.dependency, pricingDependency(transport, config.pricingUrl)],
  });
  const micro = await registerMicroService(nc, pricerService({ name: SERVICES.pricer, version, config, consumer: consumer.counters, pricer: pricer.counters, readiness }));
  log.info("ready", { nats: nc.getServer(), pricing: config.pricingUrl, service: SERVICES.pricer, instance: micro.info().id });
  // Stop taking messages first and finish the ones in flight, then leave the service list.
  return { stop: stopInOrder([() => readiness.stop(), () => consumer.stop(), () => micro.stop()]) };
}
