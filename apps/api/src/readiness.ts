/**
 * What the API needs to serve, probed for /health/ready and the request guard: NATS, the VEHICLES and DEADLETTER
 * streams, the vehicles bucket (followed by the list index), the catalog buckets and the durable `api-prices`.
 * What the API owns it puts back (streams, the catalog seed, the durable); a lost vehicles bucket it leaves for
 * `bun run rebuild vehicles`, since an empty one would serve wrong answers.
 */
import { SEED_CATALOG, seedCatalog } from "@forecourt/shared/catalog";
import { BUCKETS, STREAMS } from "@forecourt/shared/contracts";
import { bucketDependency, createReadiness, ensureStreams, streamDependency, type Logger, type Readiness, type RunningConsumer } from "@forecourt/shared/platform";
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { VehicleWatch } from "./vehicles/vehicle-watch.ts";

export interface ApiReadinessDeps {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  log: Logger;
  /** Whose streams these are (the VEHICLES stream captures only this participant's subjects). */
  participant: string;
  /** NATS_REPLICAS, for a stream the repair creates again. */
  replicas?: number;
  vehicles: Pick<VehicleWatch, "dependency">;
  prices: Pick<RunningConsumer, "dependency">;
}

/** The dependencies without which no vehicle can be read or written: requests needing them get 503 at once. */
export const VEHICLE_DEPENDENCIES = [`bucket ${BUCKETS.vehicles}`];

export function createApiReadiness({ nc, js, jsm, log, participant, replicas, vehicles, prices }: ApiReadinessDeps): Readiness {
  const streams = { repair: async () => void (await ensureStreams(jsm, participant, { replicas })) };
  const catalog = { repair: async () => void (await seedCatalog(js, SEED_CATALOG)) };
  return createReadiness({
    nc,
    log,
    dependencies: [
      streamDependency(jsm, STREAMS.vehicles.name, streams),
      streamDependency(jsm, STREAMS.deadLetter.name, streams),
      vehicles.dependency,
      bucketDependency(jsm, BUCKETS.manufacturers, catalog),
      bucketDependency(jsm, BUCKETS.models, catalog),
      prices.dependency,
    ],
  });
}
