/**
 * The API, started on a NATS connection it is given: main.ts wires it, tests start it in-process and call
 * `http.handle()`. Stop order is the reverse of start: intake first, NATS-facing work last.
 */
import { openCatalogView, SEED_CATALOG, seedCatalog } from "@forecourt/shared/catalog";
import { ensureBuckets, ensureStreams, isNatsReachable, stopInOrder, type AppDeps } from "@forecourt/shared/platform";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { version } from "../package.json";
import { crashHook, type ApiConfig } from "./config.ts";
import { createHttp } from "./http/app.ts";
import { registerApiService } from "./micro-service.ts";
import { consumePrices } from "./prices-consumer.ts";
import { seedDemoVehicles } from "./vehicles/bulk-listing.ts";
import { openVehicleStore } from "./vehicles/vehicle-store.ts";
import { watchVehicles } from "./vehicles/vehicle-watch.ts";

export type ApiOptions = Pick<ApiConfig, "host" | "port" | "demoVehicles" | "crashAfter"> & Partial<Pick<ApiConfig, "replicas">>;

export async function startApi({ nc, log, config }: AppDeps<ApiOptions>) {
  const js = jetstream(nc);
  await ensureStreams(await jetstreamManager(nc), { replicas: config.replicas });
  await ensureBuckets(js, { replicas: config.replicas });
  await seedCatalog(js, SEED_CATALOG);
  const catalog = await openCatalogView(js);
  const { kv, store, outbox } = await openVehicleStore({ js, catalog, log, crash: crashHook(config.crashAfter) });
  const vehicles = await watchVehicles(nc, kv, log, (key, revision, vehicle) => outbox.observe(key, revision, vehicle));
  const sweep = outbox.start();
  await sweep.first;
  await seedDemoVehicles(kv, store, catalog, config.demoVehicles, log);
  const prices = await consumePrices(nc, store, log);
  const micro = await registerApiService(nc, { store, index: vehicles.index, outbox, prices: prices.counters, version, log });
  const http = createHttp({ store, list: vehicles, catalog, log, version, readiness: { nats: () => isNatsReachable(nc) } });
  const server = http.listen({ hostname: config.host, port: config.port }).server!;
  const url = `http://${config.host}:${server.port}`;
  log.info("ready", { url });
  return {
    url,
    http,
    store,
    outbox,
    index: vehicles.index,
    stop: stopInOrder([() => http.stop(), () => prices.stop(), () => sweep.stop(), () => micro.stop(), () => vehicles.stop(), () => catalog.stop()]),
  };
}
