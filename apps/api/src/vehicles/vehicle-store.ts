/**
 * Vehicles in the JetStream KV bucket `vehicles`, one key per registration, with a transactional outbox:
 *   1. one KV write stores the car together with the event it owes (`pending`): create, CAS update, or a
 *      `removing` marker for deletes;
 *   2. the event is published with its Nats-Msg-Id;
 *   3. the owed marker is cleared (or, for a removal, the key deleted), by CAS on the revision of step 1.
 * A process dying after 1 leaves the marker: on start, and every few seconds, each instance publishes what
 * is owed (same Nats-Msg-Id, so JetStream drops a copy already stored) and clears it.
 * Assumes a replay within JetStream's duplicate window (10 minutes) of a crash between 2 and 3.
 */
import type { CatalogView } from "@forecourt/shared/catalog";
import { isWrongLastSequence, traceparentOf, type Logger } from "@forecourt/shared/platform";
import type { KV } from "@nats-io/kv";
import { ModelNotFoundError, VehicleBusyError, VehicleExistsError, VehicleNotFoundError } from "./errors.ts";
import type { PublishOwed } from "./owed-events.ts";
import {
  listedVehicle,
  removingVehicle,
  updatedVehicle,
  withoutPending,
  isVisible,
  type ChangeContext,
  type StoredVehicle,
  type VehiclePrice,
} from "./stored-vehicle.ts";
import type { VehicleInput } from "./vehicle-input.ts";
import type { VehicleFilter, VehicleIndex } from "./vehicle-index.ts";

/** Points where a test may make the process die, to prove the outbox (API_CRASH_AFTER). */
export type CrashPoint = "vehicle-write" | "event-publish";

export interface VehicleStoreDeps {
  kv: KV;
  index: VehicleIndex;
  catalog: Pick<CatalogView, "model" | "manufacturer">;
  publish: PublishOwed;
  log: Logger;
  now?: () => Date;
  /** Waits until the list index holds every write acknowledged so far (any instance's). */
  caughtUp?: () => Promise<unknown>;
  /** Called at each crash point; production passes nothing. */
  crash?: (point: CrashPoint) => void;
}

const MAX_ATTEMPTS = 20;
const encoder = new TextEncoder();

export class VehicleStore {
  private readonly now: () => Date;
  constructor(private readonly deps: VehicleStoreDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** The owed event remembers the trace of the change (the request's span) for whoever publishes it. */
  private context(): ChangeContext {
    return { now: this.now(), msgId: crypto.randomUUID(), traceparent: traceparentOf() ?? "" };
  }

  private resolveModel(modelCode: string) {
    const model = this.deps.catalog.model(modelCode);
    const manufacturer = model && this.deps.catalog.manufacturer(model.manufacturerCode);
    if (!model || !manufacturer) throw new ModelNotFoundError(modelCode);
    return { model, manufacturer };
  }

  /** Atomic: of two creates of one registration, exactly one succeeds (KV create). */
  async create(input: VehicleInput): Promise<StoredVehicle> {
    const { model, manufacturer } = this.resolveModel(input.modelCode);
    const vehicle = listedVehicle(input, model, manufacturer, this.context());
    let revision: number;
    try {
      revision = await this.deps.kv.create(input.registration, encoder.encode(JSON.stringify(vehicle)));
    } catch (error) {
      if (isWrongLastSequence(error)) throw new VehicleExistsError(input.registration, { cause: error });
      throw error;
    }
    await this.written(input.registration, revision, vehicle);
    return withoutPending(vehicle);
  }

  /** PUT semantics: creates (created: true) or replaces, keeping the listing date. */
  async replace(input: VehicleInput): Promise<{ vehicle: StoredVehicle; created: boolean }> {
    const { model, manufacturer } = this.resolveModel(input.modelCode);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.read(input.registration);
      if (!current) {
        try {
          return { vehicle: await this.create(input), created: true };
        } catch (error) {
          if (error instanceof VehicleExistsError) continue;
          throw error;
        }
      }
      if (current.vehicle.removing) throw new VehicleBusyError(input.registration);
      await this.settleOwed(current.vehicle);
      const vehicle = updatedVehicle(current.vehicle, input, model, manufacturer, this.context());
      const revision = await this.casUpdate(input.registration, vehicle, current.revision);
      if (revision === undefined) continue;
      await this.written(input.registration, revision, vehicle);
      return { vehicle: withoutPending(vehicle), created: false };
    }
    throw new Error(`replace of ${input.registration} kept conflicting`);
  }

  async remove(registration: string): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.read(registration);
      if (!current || current.vehicle.removing) throw new VehicleNotFoundError(registration);
      await this.settleOwed(current.vehicle);
      const vehicle = removingVehicle(current.vehicle, this.context());
      const revision = await this.casUpdate(registration, vehicle, current.revision);
      if (revision === undefined) continue;
      await this.written(registration, revision, vehicle);
      return;
    }
    throw new Error(`remove of ${registration} kept conflicting`);
  }

  /** Read straight from KV, so every instance answers alike the moment a write is acknowledged. */
  async get(registration: string): Promise<StoredVehicle> {
    const current = await this.read(registration);
    if (!current || !isVisible(current.vehicle)) throw new VehicleNotFoundError(registration);
    return withoutPending(current.vehicle);
  }

  async page(filter: VehicleFilter, index: number, count: number) {
    await this.deps.caughtUp?.();
    return this.deps.index.page(filter, index, count);
  }

  /** Records a price for the listing it was computed for; stale or unknown listings are ignored. */
  async recordPrice(registration: string, listedAt: string, price: VehiclePrice): Promise<"recorded" | "unknown" | "stale"> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.read(registration);
      if (!current || !isVisible(current.vehicle)) return "unknown";
      if (current.vehicle.listedAt !== listedAt) return "stale";
      if (current.vehicle.price?.pricedAt && current.vehicle.price.pricedAt >= price.pricedAt) return "stale";
      const vehicle = { ...current.vehicle, price };
      const revision = await this.casUpdate(registration, vehicle, current.revision);
      if (revision === undefined) continue;
      this.deps.index.apply(registration, revision, JSON.stringify(vehicle));
      return "recorded";
    }
    throw new Error(`price of ${registration} kept conflicting`);
  }

  /** Publishes every event owed for longer than `olderThanMs` (0 on start: all of them). */
  async deliverOwed(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let delivered = 0;
    for (const [registration, seenAt] of [...this.deps.index.owing]) {
      if (seenAt > cutoff) continue;
      const current = this.deps.index.owed(registration);
      if (!current?.vehicle.pending) continue;
      try {
        await this.deliver(registration, current.revision, current.vehicle);
        delivered++;
      } catch (error) {
        this.deps.log.warn("owed event not delivered yet", { registration, error });
      }
    }
    if (delivered) this.deps.log.info("owed events delivered", { count: delivered });
    return delivered;
  }

  /** A change that replaces an owed event publishes it first (same Nats-Msg-Id), so subscribers see every step in order. */
  private async settleOwed(vehicle: StoredVehicle): Promise<void> {
    if (vehicle.pending) await this.deps.publish(vehicle.pending);
  }

  private async read(registration: string): Promise<{ revision: number; vehicle: StoredVehicle } | undefined> {
    const entry = await this.deps.kv.get(registration);
    if (!entry || entry.operation !== "PUT") return undefined;
    return { revision: entry.revision, vehicle: entry.json<StoredVehicle>() };
  }

  private async casUpdate(registration: string, vehicle: StoredVehicle, revision: number): Promise<number | undefined> {
    try {
      return await this.deps.kv.update(registration, encoder.encode(JSON.stringify(vehicle)), revision);
    } catch (error) {
      if (isWrongLastSequence(error)) return undefined;
      throw error;
    }
  }

  /**
   * After step 1. The caller answers success even when NATS refuses step 2 for now: the owed marker is in KV,
   * and the sweep delivers it.
   */
  private async written(registration: string, revision: number, vehicle: StoredVehicle): Promise<void> {
    this.deps.index.apply(registration, revision, JSON.stringify(vehicle));
    this.deps.crash?.("vehicle-write");
    try {
      await this.deliver(registration, revision, vehicle);
    } catch (error) {
      this.deps.log.warn("event owed; will retry", { registration, error });
    }
  }

  private async deliver(registration: string, revision: number, vehicle: StoredVehicle): Promise<void> {
    const owed = vehicle.pending!;
    const { duplicate } = await this.deps.publish(owed);
    this.deps.log.debug("vehicle event published", { registration, event: owed.kind, msgId: owed.msgId, duplicate });
    this.deps.crash?.("event-publish");
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        if (vehicle.removing) {
          await this.deps.kv.delete(registration, { previousSeq: revision });
        } else {
          const settled = withoutPending(vehicle);
          const next = await this.deps.kv.update(registration, encoder.encode(JSON.stringify(settled)), revision);
          this.deps.index.apply(registration, next, JSON.stringify(settled));
        }
        return;
      } catch (error) {
        if (!isWrongLastSequence(error)) throw error;
        // Someone wrote since (a price, a newer change): clear our marker only if it is still ours.
        const current = await this.read(registration);
        if (current?.vehicle.pending?.msgId !== owed.msgId) return;
        revision = current.revision;
        vehicle = current.vehicle;
      }
    }
  }
}
