/** Opens the `vehicles` bucket and keeps a VehicleIndex current from a KV watch. */
import { BUCKETS } from "@forecourt/shared/contracts";
import type { Logger } from "@forecourt/shared/platform";
import type { JetStreamClient, KV } from "nats";
import { VehicleIndex } from "./vehicle-index.ts";

export async function openVehiclesBucket(js: JetStreamClient): Promise<KV> {
  return js.views.kv(BUCKETS.vehicles, { history: 1, description: "Forecourt vehicles by normalised registration" });
}

/** Resolves once every stored vehicle is in memory; later changes keep flowing in. */
export async function watchVehicles(kv: KV, log: Logger): Promise<{ index: VehicleIndex; stop(): void }> {
  const index = new VehicleIndex();
  const decoder = new TextDecoder();
  let initialised!: () => void;
  const ready = new Promise<void>((resolve) => (initialised = resolve));
  const started = Date.now();
  const watch = await kv.watch({ key: ">", initializedFn: () => initialised() });
  void (async () => {
    for await (const entry of watch) {
      try {
        index.apply(entry.key, entry.revision, entry.operation === "PUT" ? decoder.decode(entry.value) : undefined);
      } catch (error) {
        log.error("unreadable vehicle in KV", { key: entry.key, revision: entry.revision, error });
      }
    }
  })();
  await ready;
  log.info("vehicles loaded", { count: index.size, durationMs: Date.now() - started });
  return { index, stop: () => watch.stop() };
}
