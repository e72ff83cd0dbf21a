/** The live page's server, started on a NATS connection it is given (main.ts wires it). */
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { openCatalogView } from "@forecourt/shared/catalog";
import { SERVICES } from "@forecourt/shared/contracts";
import { ensureBuckets, ensureStreams, registerMicroService, statusEndpoint, stopInOrder, type AppDeps, type RunningApp } from "@forecourt/shared/platform";
import { version } from "../package.json";
import type { WebConfig } from "./config.ts";
import { createHttp } from "./http.ts";
import { buildPageAssets } from "./page-assets.ts";
import { createRelayStats } from "./relay-stats.ts";

export async function startWeb({ nc, log, config }: AppDeps<WebConfig>): Promise<RunningApp> {
  const assets = await buildPageAssets();
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm, { replicas: config.replicas });
  const js = jetstream(nc);
  await ensureBuckets(js, { replicas: config.replicas });
  const catalog = await openCatalogView(js);
  const stats = createRelayStats();
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
    manufacturers: () => catalog.manufacturers().map(({ code, name }) => ({ code, name })),
    ...config,
  }).listen({ hostname: config.host, port: config.port });
  log.info("ready", { url: `http://${config.host}:${app.server!.port}` });
  return { stop: stopInOrder([() => app.stop(true), () => micro.stop(), () => catalog.stop()]) };
}
