import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { openCatalogView } from "@forecourt/shared/catalog";
import { SERVICES } from "@forecourt/shared/contracts";
import { connectNats, createLogger, ensureBuckets, ensureStreams, loadConfigOrExit, onShutdown, registerMicroService, statusEndpoint } from "@forecourt/shared/platform";
import { loadConfig } from "./config.ts";
import { createHttp } from "./http.ts";
import { buildPageAssets } from "./page-assets.ts";
import { createRelayStats } from "./relay-stats.ts";

const config = loadConfigOrExit("web", loadConfig);
const log = createLogger({ service: "web", level: config.logLevel });
const assets = await buildPageAssets();
const nc = await connectNats({ url: config.natsUrl, name: "forecourt-web", log });
const jsm = await jetstreamManager(nc);
await ensureStreams(jsm, { replicas: config.replicas });
const js = jetstream(nc);
await ensureBuckets(js, { replicas: config.replicas });
const catalog = await openCatalogView(js);
const stats = createRelayStats();
const micro = await registerMicroService(nc, {
  name: SERVICES.web,
  version: "0.1.0",
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
onShutdown(log, [() => app.stop(true), () => micro.stop(), () => catalog.stop(), () => nc.drain()]);
