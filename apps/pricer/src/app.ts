/** The pricer, started on a NATS connection it is given (main.ts wires it). */
import { jetstreamManager } from "@nats-io/jetstream";
import { durables, SERVICES, STREAMS } from "@forecourt/shared/contracts";
import { createReadiness, ensureStreams, registerMicroService, startDurableConsumer, stopInOrder, streamDependency, type AppDeps, type RunningApp } from "@forecourt/shared/platform";
import { version } from "../package.json";
import { pricingTarget, type PricerConfig } from "./config.ts";
import { createPriceHandler } from "./pricer.ts";
import { createConfiguredPricing } from "./configured-pricing.ts";
import { isPermanentPricingError } from "./pricing-client.ts";
import { pricingServiceDependency } from "./pricing-health.ts";
import { pricerService } from "./service.ts";

/** `metricsUrl`: where main.ts serves this process's metrics (serveMetrics), named in the ready line. */
export async function startPricer({ nc, log, config, metricsUrl }: AppDeps<PricerConfig> & { metricsUrl?: string }): Promise<RunningApp> {
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm, config.participant, { replicas: config.replicas });
  // Over gRPC, every calculator in PRICING_URL round-robin (the stack's own), in batches; over NATS, whichever answers (any participant's).
  const { getPrice, pool } = createConfiguredPricing(nc, config, log);
  const pricer = createPriceHandler({ nc, getPrice, log, participant: config.participant });
  // Only this participant's cars: in a workshop VEHICLES also holds the others', which their own pricers price.
  const consumer = await startDurableConsumer({
    nc, log, ...durables(config.participant).pricer, settings: config.consumer, handle: pricer.handle, isPermanent: isPermanentPricingError,
  });
  const streams = { repair: async () => void (await ensureStreams(jsm, config.participant, { replicas: config.replicas })) };
  // Over gRPC some calculator of the pool answers its health check; over NATS any calculator answers the micro service's ping.
  const pricing = pool?.dependency ?? pricingServiceDependency(nc);
  const readiness = createReadiness({
    nc, log,
    dependencies: [streamDependency(jsm, STREAMS.vehicles.name, streams), streamDependency(jsm, STREAMS.deadLetter.name, streams), consumer.dependency, pricing],
  });
  const micro = await registerMicroService(nc, pricerService({ name: SERVICES.pricer, version, config, consumer: consumer.counters, pricer: pricer.counters, readiness, targets: () => pool?.targets() ?? [] }));
  log.info("ready", { nats: nc.getServer(), pricing: pricingTarget(config), participant: config.participant, service: SERVICES.pricer, instance: micro.info().id, metrics: metricsUrl });
  // Stop taking messages first and finish the ones in flight, then leave the service list.
  return { stop: stopInOrder([() => readiness.stop(), () => consumer.stop(), () => pool?.stop(), () => micro.stop()]) };
}
