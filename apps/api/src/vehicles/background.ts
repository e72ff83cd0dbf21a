/** Start-up and background work around the store: demo vehicles on an empty bucket, and the outbox sweep. */
import type { CatalogView } from "@forecourt/shared/catalog";
import type { Logger } from "@forecourt/shared/platform";
import type { KV } from "@nats-io/kv";
import { DEMO_DEALER } from "../dealers/dealer-keys.ts";
import { demoVehicles } from "./demo-vehicles.ts";
import { VehicleExistsError } from "./errors.ts";
import type { VehicleStore } from "./vehicle-store.ts";
import type { VehicleInput } from "./vehicle-input.ts";

/** Runs `work` over items with at most `concurrency` in flight. */
export async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/**
 * Lists the demo vehicles through the store (so their events flow like any other) when the bucket has never
 * held a vehicle: restarts do not bring back demo cars a dealer removed, and racing instances list each once.
 * They belong to the `demo` dealer.
 */
export async function seedDemoVehicles(kv: KV, store: VehicleStore, catalog: CatalogView, count: number, log: Logger): Promise<number> {
  if (count === 0 || (await kv.status()).values > 0) return 0;
  let listed = 0;
  await inParallel<VehicleInput>(demoVehicles(count, catalog.models()), 32, async (input) => {
    try {
      await store.create(input, DEMO_DEALER);
      listed++;
    } catch (error) {
      if (!(error instanceof VehicleExistsError)) throw error;
    }
  });
  log.info("demo vehicles listed", { count: listed });
  return listed;
}

export const SWEEP_INTERVAL_MS = 5_000;

/** Delivers what a dead process left owed: everything at once on start, then anything owed for a while. */
export function startOutboxSweep(store: VehicleStore, log: Logger, intervalMs = SWEEP_INTERVAL_MS): { stop(): void; first: Promise<number> } {
  const first = store.deliverOwed(0);
  const timer = setInterval(() => {
    store.deliverOwed(intervalMs).catch((error) => log.warn("outbox sweep failed", { error }));
  }, intervalMs);
  return { stop: () => clearInterval(timer), first };
}
