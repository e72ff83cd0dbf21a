/** The price calculator, started on a NATS connection it is given (main.ts wires it). */
import { jetstream } from "@nats-io/jetstream";
import { SEED_CATALOG, openCatalogView, seedCatalogIfAllowed } from "@forecourt/shared/catalog";
import { BUCKETS, SERVICES } from "@forecourt/shared/contracts";
import { ensureBuckets, registerMicroService, stopInOrder, type AppDeps, type RunningApp } from "@forecourt/shared/platform";
import { healthRoutes, httpTelemetry, metricsRoutes } from "@forecourt/shared/platform/http";
import { Elysia } from "elysia";
import { version } from "../package.json";
import { createPricingReadiness, servesPrices, whileCatalogAvailable } from "./availability.ts";
import type { PricingConfig } from "./config.ts";
import { getPriceEndpoint } from "./nats-endpoint.ts";
import { createPriceCalculator } from "./pricing-service.ts";
import { createRoutes, routerOptions } from "./routes.ts";
import type { RpcStats } from "./rpc-interceptor.ts";
import { startServers } from "./servers.ts";

export async function startPricing({ nc, log, config }: AppDeps<PricingConfig>): Promise<RunningApp> {
  // Seeding is idempotent, so pricing works whether or not the API started first; the view is the one catalog.
  const js = jetstream(nc);
  await ensureBuckets(js, { replicas: config.replicas, buckets: [BUCKETS.manufacturers, BUCKETS.models] });
  await seedCatalogIfAllowed(js, SEED_CATALOG, () => log.warn("the stored catalog differs from the shipped one, and only the api or admin may update it"));
  const catalog = await openCatalogView(js, nc);
  const readiness = await createPricingReadiness(nc, log);
  const calculator = whileCatalogAvailable(createPriceCalculator({ catalog, currentYear: () => new Date().getUTCFullYear() }), readiness);
  const isServing = servesPrices(readiness);
  // What the HTTP/1.1 listener answers besides RPCs: health and metrics.
  const health = new Elysia().use(httpTelemetry()).use(healthRoutes("pricing", readiness)).use(metricsRoutes());
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
    endpoints: { "get-price": getPriceEndpoint(calculator, log, config.participant) },
    stats: () => ({ rpc: stats }),
  });
  log.info("ready", { url: `http://${config.host}:${servers.httpPort}`, h2c: `http://${config.host}:${servers.port}`, models: catalog.models().length });
  // End open streams with OK first, then close the listeners, then leave the service list.
  return { stop: stopInOrder([() => readiness.stop(), () => stopping.abort(), () => servers.close(), () => micro.stop(), () => catalog.stop()]) };
}
