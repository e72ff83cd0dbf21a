/**
 * Everything the API runs, in start order, for one NATS connection: main.ts listens on it, tests call
 * `handle()` on it. Stop order is the reverse: intake first, NATS-facing work last.
 */
import { openCatalogView, SEED_CATALOG, seedCatalog } from "@forecourt/shared/catalog";
import { ensureStreams, isNatsReachable, type Logger } from "@forecourt/shared/platform";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { crashHook, type ApiConfig } from "./config.ts";
import { createHttp } from "./http/app.ts";
import { registerApiService } from "./micro-service.ts";
import { consumePrices } from "./prices-consumer.ts";
import { seedDemoVehicles } from "./vehicles/bulk-listing.ts";
import { openVehicleStore } from "./vehicles/vehicle-store.ts";
import { watchVehicles } from "./vehicles/vehicle-watch.ts";

export type ApiOptions = Pick<ApiConfig, "demoVehicles" | "crashAfter">;

export async function startApi(nc: NatsConnection, options: ApiOptions, log: Logger) {
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm);
  await seedCatalog(js, SEED_CATALOG);
  const catalog = await openCatalogView(js);
  const { kv, store, outbox } = await openVehicleStore({ js, catalog, log, crash: crashHook(options.crashAfter) });
  const vehicles = await watchVehicles(nc, kv, log, (key, revision, vehicle) => outbox.observe(key, revision, vehicle));
  const sweep = outbox.start();
  await sweep.first;
  await seedDemoVehicles(kv, store, catalog, options.demoVehicles, log);
  const prices = await consumePrices(nc, store, log);
  const micro = await registerApiService(nc, store, vehicles.index, outbox, prices.counters, log);
  const http = createHttp({ store, list: vehicles, catalog, log, readiness: { nats: () => isNatsReachable(nc) } });
  return {
    http,
    store,
    outbox,
    index: vehicles.index,
    /** Stops background work; the caller stops HTTP before and drains NATS after. */
    stop: async () => {
      await prices.stop();
      sweep.stop();
      await micro.stop();
      vehicles.stop();
      catalog.stop();
    },
  };
}
