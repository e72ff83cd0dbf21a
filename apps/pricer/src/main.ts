import { jetstreamManager } from "@nats-io/jetstream";
import { CONSUMERS, SERVICES, STREAMS, SUBJECTS } from "@forecourt/shared/contracts";
import { connectNats, createLogger, createReadiness, ensureStreams, loadConfigOrExit, onShutdown, registerMicroService, startDurableConsumer, streamDependency } from "@forecourt/shared/platform";
import { loadConfig } from "./config.ts";
import { createPriceHandler } from "./pricer.ts";
import { createGetPrice, createPricingTransport, isPermanentPricingError } from "./pricing-client.ts";
import { pricingDependency } from "./pricing-health.ts";
import { pricerService } from "./service.ts";

const config = loadConfigOrExit("pricer", loadConfig);
const log = createLogger({ service: "pricer", level: config.logLevel });
const nc = await connectNats({ url: config.natsUrl, name: "forecourt-pricer", log });
const jsm = await jetstreamManager(nc);
await ensureStreams(jsm);
const transport = createPricingTransport(config.pricingUrl);
const getPrice = createGetPrice(transport, config.pricingTimeoutMs);
const pricer = createPriceHandler({ nc, getPrice, log });
const consumer = await startDurableConsumer({
  nc, log, stream: STREAMS.vehicles.name, durable: CONSUMERS.pricer, filterSubject: SUBJECTS.listed,
  description: "Prices every listed car", settings: config.consumer, handle: pricer.handle, isPermanent: isPermanentPricingError,
});
const repairStreams = { repair: () => ensureStreams(jsm) };
const readiness = createReadiness({
  nc, log,
  dependencies: [streamDependency(jsm, STREAMS.vehicles.name, repairStreams), streamDependency(jsm, STREAMS.deadLetter.name, repairStreams), consumer.dependency, pricingDependency(transport, config.pricingUrl)],
});
const micro = await registerMicroService(nc, pricerService(SERVICES.pricer, config, consumer.counters, pricer.counters, readiness));
log.info("ready", { nats: nc.getServer(), pricing: config.pricingUrl, service: SERVICES.pricer, instance: micro.info().id });
// Stop taking messages first and finish the ones in flight, then leave the service list, then drain NATS.
onShutdown(log, [() => readiness.stop(), () => consumer.stop(), () => micro.stop(), () => nc.drain()]);
