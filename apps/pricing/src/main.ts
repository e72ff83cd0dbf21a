import { jetstream } from "@nats-io/jetstream";
import { SEED_CATALOG, openCatalogView, seedCatalog } from "@forecourt/shared/catalog";
import { SERVICES } from "@forecourt/shared/contracts";
import { connectNats, createLogger, ensureBuckets, healthRoutes, isNatsReachable, loadConfigOrExit, onShutdown, registerMicroService } from "@forecourt/shared/platform";
import { loadConfig } from "./config.ts";
import { getPriceEndpoint } from "./nats-endpoint.ts";
import { createPriceCalculator } from "./pricing-service.ts";
import { createRoutes, routerOptions } from "./routes.ts";
import type { RpcStats } from "./rpc-interceptor.ts";
import { startServers } from "./servers.ts";

const config = loadConfigOrExit("pricing", loadConfig);
const log = createLogger({ service: "pricing", level: config.logLevel });
const nc = await connectNats({ url: config.natsUrl, name: "forecourt-pricing", log });
// Seeding is idempotent, so pricing works whether or not the API started first; the view is the one catalog.
const js = jetstream(nc);
await ensureBuckets(js, { replicas: config.replicas });
await seedCatalog(js, SEED_CATALOG);
const catalog = await openCatalogView(js);
const calculator = createPriceCalculator({ catalog, currentYear: () => new Date().getUTCFullYear() });
const isServing = () => isNatsReachable(nc);
const health = healthRoutes("pricing", { nats: isServing });
const stats: RpcStats = {};
const stopping = new AbortController();
const servers = await startServers({
  host: config.host,
  port: config.port,
  httpPort: config.httpPort,
  routes: createRoutes({ calculator, isServing, stopping: stopping.signal }),
  fallback: (request) => health.handle(request),
  ...routerOptions({ log, defaultTimeoutMs: config.requestTimeoutMs, readMaxBytes: config.readMaxBytes, stats }),
});
const micro = await registerMicroService(nc, {
  name: SERVICES.pricing,
  version: "0.1.0",
  description: "Price calculator (gRPC, Connect and gRPC-Web; this endpoint answers the same in JSON)",
  metadata: { grpc: `${config.host}:${servers.port}`, http: `http://${config.host}:${servers.httpPort}` },
  endpoints: { "get-price": getPriceEndpoint(calculator, log) },
  stats: () => ({ rpc: stats }),
});
log.info("ready", { url: `http://${config.host}:${servers.httpPort}`, h2c: `http://${config.host}:${servers.port}`, models: catalog.models().length });
// End open streams with OK first, then close the listeners, then leave NATS.
onShutdown(log, [() => stopping.abort(), () => servers.close(), () => micro.stop(), () => catalog.stop(), () => nc.drain()]);
