/**
 * GET /api/vehicles/{registration} without a KV read per request. The list index knows every car's latest
 * revision once it has caught up with the bucket (one shared question to the server per batch of waiting
 * reads, see fresh-check.ts); a car last read at that very revision is answered from memory. Anything
 * else (a newer revision, a car not read lately, an index that did not catch up in time) is read from KV
 * as before, so a read still never misses an acknowledged write.
 */
import type { KV } from "@nats-io/kv";
import { VehicleNotFoundError } from "./errors.ts";
import { isVisible, withoutPending, type StoredVehicle } from "./stored-vehicle.ts";
import type { VehicleIndex } from "./vehicle-index.ts";

export interface VehicleReadsDeps {
  kv: Pick<KV, "get">;
  index: Pick<VehicleIndex, "revisionOf">;
  /** Resolves true once the index holds every write acknowledged before the call (false: it could not tell in time). */
  caughtUp: () => Promise<boolean>;
  /** Cars kept in memory (least recently read leave first). */
  capacity?: number;
}

export class VehicleReads {
  private readonly recent = new Map<string, { revision: number; vehicle: StoredVehicle }>();
  private readonly capacity: number;

  constructor(private readonly deps: VehicleReadsDeps) {
    this.capacity = deps.capacity ?? 10_000;
  }

  async get(registration: string): Promise<StoredVehicle> {
    if (await this.deps.caughtUp()) {
      const revision = this.deps.index.revisionOf(registration);
      if (revision === undefined) throw new VehicleNotFoundError(registration);
      const known = this.recent.get(registration);
      if (known?.revision === revision) {
        this.recent.delete(registration);
        this.recent.set(registration, known);
        return known.vehicle;
      }
    }
    const entry = await this.deps.kv.get(registration);
    const stored = entry?.operation === "PUT" ? entry.json<StoredVehicle>() : undefined;
    if (!entry || !isVisible(stored)) throw new VehicleNotFoundError(registration);
    const vehicle = withoutPending(stored);
    this.recent.delete(registration);
    this.recent.set(registration, { revision: entry.revision, vehicle });
    if (this.recent.size > this.capacity) this.recent.delete(this.recent.keys().next().value!);
    return vehicle;
  }
}
