/** The live page's server, started on a NATS connection it is given (main.ts wires it). */
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { openCatalogView } from "@forecourt/shared/catalog";
import { BUCKETS, SERVICES, STREAMS } from "@forecourt/shared/contracts";
import { bucketDependency, createReadiness, ensureBuckets, ensureStreams, registerMicroService, statusEndpoint, stopInOrder, streamDependency, type AppDeps, type RunningApp } from "@forecourt/shared/platform";
import { version } from "../package.json";
import type { WebConfig } from "./config.ts";
import { createHttp } from "./http.ts";
import { watchHubLink } from "./hub-link.ts";
import { buildPageAssets } from "./page-assets.ts";
import { registerRelayMetrics } from "./relay-metrics.ts";
import { createRelayStats } from "./relay-stats.ts";

export async function startWeb({ nc, log, config }: AppDeps<WebConfig>): Promise<RunningApp> {
  const assets = await buildPageAssets();
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm, config.participant, { replicas: config.replicas });
  const streams = { repair: async () => void (await ensureStreams(jsm, config.participant, { replicas: config.replicas })) };
  const js = jetstream(nc);
  await ensureBuckets(js, { replicas: config.replicas, buckets: [BUCKETS.manufacturers, BUCKETS.models] });
  const catalog = await openCatalogView(js, nc);
  const stats = createRelayStats();
  registerRelayMetrics(stats);
  const readiness = createReadiness({
    nc, log,
    dependencies: [streamDependency(jsm, STREAMS.vehicles.name, streams), bucketDependency(jsm, BUCKETS.manufacturers), bucketDependency(jsm, BUCKETS.models)],
  });
  const hubLink = await watchHubLink({ monitorUrl: config.natsMonitorUrl, intervalMs: 1_000, log });
  const micro = await registerMicroService(nc, {
    name: SERVICES.web,
    version,
    description: "Live notification page",
    endpoints: { stats: statusEndpoint("forecourt.web.stats", () => stats) },
    stats: () => stats,
  });
  const app = createHttp({
    nc,
    js,
    jsm,
    log,
    assets,
    stats,
    readiness,
    manufacturers: () => catalog.manufacturers().map(({ code, name }) => ({ code, name })),
    hubLink,
    ...config,
  }).listen({ hostname: config.host, port: config.port });
  log.info("ready", { url: `http://${config.host}:${app.server!.port}` });
  return { stop: stopInOrder([() => readiness.stop(), () => app.stop(true), () => hubLink.stop(), () => micro.stop(), () => catalog.stop()]) };
}
