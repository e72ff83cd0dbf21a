/** A store and outbox over an in-memory bucket, with a publisher that records what it was given. */
import { SEED_CATALOG } from "@forecourt/shared/catalog";
import { createLogger } from "@forecourt/shared/platform";
import { Outbox, type CrashPoint } from "../outbox.ts";
import type { PendingEvent } from "../stored-vehicle.ts";
import { VehicleStore } from "../vehicle-store.ts";
import { memoryKv } from "./memory-kv.ts";

const models = new Map(SEED_CATALOG.models.map((m) => [m.code, m]));
const manufacturers = new Map(SEED_CATALOG.manufacturers.map((m) => [m.code, m]));
export const seedCatalog = { model: (code: string) => models.get(code), manufacturer: (code: string) => manufacturers.get(code) };

export interface MemoryStoreOptions {
  crash?: (point: CrashPoint) => void;
  /** Runs inside each publish, before JetStream would acknowledge it: another writer's chance to step in. */
  onPublish?: (event: PendingEvent) => Promise<void>;
}

export function memoryStore(options: MemoryStoreOptions = {}) {
  const bucket = memoryKv();
  const published: { event: PendingEvent; body: string }[] = [];
  const nats = { down: false };
  const outbox = new Outbox({
    kv: bucket.kv,
    log: createLogger({ service: "test", write: () => {} }),
    crash: options.crash,
    publish: async (event, data) => {
      if (nats.down) throw new Error("NATS unavailable");
      await options.onPublish?.(event);
      published.push({ event, body: new TextDecoder().decode(data) });
      return { duplicate: false };
    },
  });
  const store = new VehicleStore({ kv: bucket.kv, catalog: seedCatalog, outbox });
  return { ...bucket, store, outbox, published, nats };
}
