import { jetstreamManager } from "@nats-io/jetstream";
import { CONSUMERS, SERVICES, STREAMS, SUBJECTS } from "@forecourt/shared/contracts";
import { connectNats, createLogger, ensureStreams, loadConfigOrExit, onShutdown, registerMicroService, startDurableConsumer } from "@forecourt/shared/platform";
import { loadConfig } from "./config.ts";
import { createPriceHandler } from "./pricer.ts";
import { isPermanentPricingError } from "./pricing-client.ts";
import { createPricingPool } from "./pricing-pool.ts";
import { pricerService } from "./service.ts";

const config = loadConfigOrExit("pricer", loadConfig);
const log = createLogger({ service: "pricer", level: config.logLevel });
const nc = await connectNats({ url: config.natsUrl, name: "forecourt-pricer", log });
await ensureStreams(await jetstreamManager(nc), { replicas: config.replicas });
const pricing = createPricingPool({ urls: config.pricingUrls, timeoutMs: config.pricingTimeoutMs, log });
const pricer = createPriceHandler({ nc, getPrice: pricing.getPrice, log });
const consumer = await startDurableConsumer({
  nc, log, stream: STREAMS.vehicles.name, durable: CONSUMERS.pricer, filterSubject: SUBJECTS.listed,
  description: "Prices every listed car", settings: config.consumer, handle: pricer.handle, isPermanent: isPermanentPricingError,
});
const micro = await registerMicroService(nc, pricerService(SERVICES.pricer, config, consumer.counters, pricer.counters, pricing.targets));
log.info("ready", { nats: nc.getServer(), pricing: config.pricingUrls.join(","), service: SERVICES.pricer, instance: micro.info().id });
// Stop taking messages first and finish the ones in flight, then leave the service list, then drain NATS.
onShutdown(log, [() => consumer.stop(), () => pricing.stop(), () => micro.stop(), () => nc.drain()]);
