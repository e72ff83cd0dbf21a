import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { openCatalogView } from "@forecourt/shared/catalog";
import { BUCKETS, SERVICES, STREAMS } from "@forecourt/shared/contracts";
import { bucketDependency, connectNats, createLogger, createReadiness, ensureStreams, loadConfigOrExit, onShutdown, registerMicroService, statusEndpoint, streamDependency } from "@forecourt/shared/platform";
import { loadConfig } from "./config.ts";
import { createHttp } from "./http.ts";
import { buildPageAssets } from "./page-assets.ts";
import { createRelayStats } from "./relay-stats.ts";

const config = loadConfigOrExit("web", loadConfig);
const log = createLogger({ service: "web", level: config.logLevel });
const assets = await buildPageAssets();
const nc = await connectNats({ url: config.natsUrl, name: "forecourt-web", log });
const jsm = await jetstreamManager(nc);
await ensureStreams(jsm);
const js = jetstream(nc);
const catalog = await openCatalogView(js, nc);
const stats = createRelayStats();
const readiness = createReadiness({
  nc, log,
  dependencies: [streamDependency(jsm, STREAMS.vehicles.name, { repair: () => ensureStreams(jsm) }), bucketDependency(jsm, BUCKETS.manufacturers), bucketDependency(jsm, BUCKETS.models)],
});
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
  readiness,
  manufacturers: () => catalog.manufacturers().map(({ code, name }) => ({ code, name })),
  ...config,
}).listen({ hostname: config.host, port: config.port });
log.info("ready", { url: `http://${config.host}:${app.server!.port}` });
onShutdown(log, [() => readiness.stop(), () => app.stop(true), () => micro.stop(), () => catalog.stop(), () => nc.drain()]);
