/** The price calculator, started on a NATS connection it is given (main.ts wires it). */
import { jetstream } from "@nats-io/jetstream";
import { SEED_CATALOG, openCatalogView, seedCatalog } from "@forecourt/shared/catalog";
import { SERVICES } from "@forecourt/shared/contracts";
import { ensureBuckets, healthRoutes, isNatsReachable, registerMicroService, stopInOrder, type AppDeps, type RunningApp } from "@forecourt/shared/platform";
import { version } from "../package.json";
import type { PricingConfig } from "./config.ts";
import { getPriceEndpoint } from "./nats-endpoint.ts";
import { createPriceCalculator } from "./pricing-service.ts";
import { createRoutes, routerOptions } from "./routes.ts";
import type { RpcStats } from "./rpc-interceptor.ts";
import { startServers } from "./servers.ts";

export async function startPricing({ nc, log, config }: AppDeps<PricingConfig>): Promise<RunningApp> {
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
    version,
    description: "Price calculator (gRPC, Connect and gRPC-Web; this endpoint answers the same in JSON)",
    metadata: { grpc: `${config.host}:${servers.port}`, http: `http://${config.host}:${servers.httpPort}` },
    endpoints: { "get-price": getPriceEndpoint(calculator, log) },
    stats: () => ({ rpc: stats }),
  });
  log.info("ready", { url: `http://${config.host}:${servers.httpPort}`, h2c: `http://${config.host}:${servers.port}`, models: catalog.models().length });
  // End open streams with OK first, then close the listeners, then leave the service list.
  return { stop: stopInOrder([() => stopping.abort(), () => servers.close(), () => micro.stop(), () => catalog.stop()]) };
}
