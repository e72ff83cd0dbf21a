/**
 * The API, started on a NATS connection it is given: main.ts wires it, tests start it in-process and call
 * `http.handle()`. Stop order is the reverse of start: intake first, NATS-facing work last.
 */
import { openCatalogView, SEED_CATALOG, seedCatalog } from "@forecourt/shared/catalog";
import { ensureBuckets, ensureStreams, stopInOrder, type AppDeps } from "@forecourt/shared/platform";
import { DEFAULT_PARTICIPANT } from "@forecourt/shared/contracts";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { version } from "../package.json";
import { crashHook, type ApiConfig } from "./config.ts";
import { DealerStore, openDealersBucket } from "./dealers/dealer-store.ts";
import { DEFAULT_WRITE_RATE, WriteRateLimiter } from "./dealers/write-rate-limit.ts";
import { createHttp } from "./http/app.ts";
import { registerApiService } from "./micro-service.ts";
import { consumePrices } from "./prices-consumer.ts";
import { createApiReadiness } from "./readiness.ts";
import { seedDemoVehicles } from "./vehicles/bulk-listing.ts";
import { indexSnapshots } from "./vehicles/index-snapshot-file.ts";
import { demoSeed } from "./vehicles/demo-vehicles.ts";
import { VehicleReads } from "./vehicles/vehicle-reads.ts";
import { openVehicleStore } from "./vehicles/vehicle-store.ts";
import { watchVehicles } from "./vehicles/vehicle-watch.ts";

export type ApiOptions = Pick<ApiConfig, "host" | "port" | "demoVehicles" | "crashAfter"> &
  Partial<Pick<ApiConfig, "writeRate" | "replicas" | "snapshotPath" | "snapshotIntervalMs">> & { participant?: string };

export async function startApi({ nc, log, config }: AppDeps<ApiOptions>) {
  const js = jetstream(nc);
  const participant = config.participant ?? DEFAULT_PARTICIPANT;
  const replicas = config.replicas;
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm, participant, { replicas });
  await ensureBuckets(js, { replicas });
  await seedCatalog(js, SEED_CATALOG);
  const catalog = await openCatalogView(js, nc);
  const { kv, store, outbox } = await openVehicleStore({ js, catalog, log, origin: participant, crash: crashHook(config.crashAfter) });
  const snapshots = config.snapshotPath ? indexSnapshots({ path: config.snapshotPath, kv, log, outbox }) : undefined;
  const vehicles = await watchVehicles(nc, kv, log, (key, revision, vehicle) => outbox.observe(key, revision, vehicle), snapshots?.restore);
  const snapshotting = snapshots?.start(vehicles, config.snapshotIntervalMs);
  const sweep = outbox.start();
  await sweep.first;
  await seedDemoVehicles(kv, store, catalog, config.demoVehicles, log, demoSeed(participant));
  const prices = await consumePrices(nc, store, log, participant);
  const readiness = createApiReadiness({ nc, js, jsm, log, participant, replicas, vehicles, prices });
  const micro = await registerApiService(nc, { store, index: vehicles.index, outbox, prices: prices.counters, version, log });
  const reads = new VehicleReads({ kv, index: vehicles.index, caughtUp: () => vehicles.caughtUp() });
  const dealers = new DealerStore(await openDealersBucket(js));
  const auth = { dealers, limiter: new WriteRateLimiter(config.writeRate ?? DEFAULT_WRITE_RATE) };
  const http = createHttp({ store, reads, list: vehicles, catalog, log, version, auth, readiness });
  const server = http.listen({ hostname: config.host, port: config.port }).server!;
  const url = `http://${config.host}:${server.port}`;
  log.info("ready", { url });
  return {
    url,
    http,
    store,
    outbox,
    dealers,
    index: vehicles.index,
    stop: stopInOrder([() => http.stop(), () => readiness.stop(), () => prices.stop(), () => sweep.stop(), () => micro.stop(), () => vehicles.stop(), () => snapshotting?.stop(), () => catalog.stop()]),
  };
}
