/** Listing many cars through the store: demo vehicles on an empty bucket, and imports. */
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
export async function seedDemoVehicles(kv: KV, store: VehicleStore, catalog: CatalogView, count: number, log: Logger, seed?: number): Promise<number> {
  if (count === 0 || (await kv.status()).values > 0) return 0;
  const { added } = await createAll(store, demoVehicles(count, catalog.models(), seed), DEMO_DEALER, 32);
  log.info("demo vehicles listed", { count: added });
  return added;
}

/** Lists each car through the store as `dealer`'s, `concurrency` at a time; one already present is counted, not an error. */
export async function createAll(
  store: Pick<VehicleStore, "create">,
  inputs: readonly VehicleInput[],
  dealer: string,
  concurrency: number,
  onProgress?: (done: number) => void,
): Promise<{ added: number; present: number }> {
  let added = 0;
  let present = 0;
  await inParallel(inputs, concurrency, async (input) => {
    try {
      await store.create(input, dealer);
      added++;
    } catch (error) {
      if (!(error instanceof VehicleExistsError)) throw error;
      present++;
    }
    onProgress?.(added + present);
  });
  return { added, present };
}
