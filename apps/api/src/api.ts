/**
 * Everything the API runs, in start order, for one NATS connection: main.ts listens on it, tests call
 * `handle()` on it. Stop order is the reverse: intake first, NATS-facing work last.
 */
import { openCatalogView, SEED_CATALOG, seedCatalog } from "@forecourt/shared/catalog";
import { ensureBuckets, ensureStreams, isNatsReachable, type Logger } from "@forecourt/shared/platform";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { crashHook, type ApiConfig } from "./config.ts";
import { createHttp } from "./http/app.ts";
import { registerApiService } from "./micro-service.ts";
import { consumePrices } from "./prices-consumer.ts";
import { seedDemoVehicles, startOutboxSweep } from "./vehicles/background.ts";
import { createPublisher } from "./vehicles/owed-events.ts";
import { VehicleStore } from "./vehicles/vehicle-store.ts";
import { patientKv } from "./vehicles/patient-kv.ts";
import { openVehiclesBucket, watchVehicles } from "./vehicles/vehicle-watch.ts";

export type ApiOptions = Pick<ApiConfig, "demoVehicles" | "crashAfter"> & Partial<Pick<ApiConfig, "replicas">>;

export async function startApi(nc: NatsConnection, options: ApiOptions, log: Logger) {
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm, { replicas: options.replicas });
  await ensureBuckets(js, { replicas: options.replicas });
  await seedCatalog(js, SEED_CATALOG);
  const catalog = await openCatalogView(js);
  const kv = patientKv(await openVehiclesBucket(js));
  const vehicles = await watchVehicles(nc, kv, log);
  const store = new VehicleStore({
    kv,
    index: vehicles.index,
    catalog,
    publish: createPublisher(js),
    log,
    caughtUp: () => vehicles.caughtUp(),
    crash: crashHook(options.crashAfter),
  });
  const outbox = startOutboxSweep(store, log);
  await outbox.first;
  await seedDemoVehicles(kv, store, catalog, options.demoVehicles, log);
  const prices = await consumePrices(nc, store, log);
  const micro = await registerApiService(nc, store, vehicles.index, prices.counters, log);
  const http = createHttp({ store, catalog, log, readiness: { nats: () => isNatsReachable(nc) } });
  return {
    http,
    store,
    index: vehicles.index,
    /** Stops background work; the caller stops HTTP before and drains NATS after. */
    stop: async () => {
      await prices.stop();
      outbox.stop();
      await micro.stop();
      vehicles.stop();
      catalog.stop();
    },
  };
}
