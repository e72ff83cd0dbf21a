/**
 * Vehicles in the JetStream KV bucket `vehicles`, one key per registration. Each change is one KV write holding
 * the car and the event it owes (create, CAS update, or a `removing` marker for deletes); the outbox
 * (outbox.ts) publishes that event and clears the marker. Each write serialises the car once (vehicle-codec.ts).
 * Lists are not here: the index follows the bucket on its own (vehicle-watch.ts).
 */
import type { CatalogView } from "@forecourt/shared/catalog";
import { DEFAULT_PARTICIPANT } from "@forecourt/shared/contracts";
import { isWrongLastSequence, traceparentOf } from "@forecourt/shared/platform";
import type { JetStreamClient } from "@nats-io/jetstream";
import type { KV } from "@nats-io/kv";
import { EventStillOwedError, ModelNotFoundError, VehicleBusyError, VehicleExistsError, VehicleNotFoundError, VehicleNotOwnedError } from "./errors.ts";
import { Outbox, type OutboxDeps } from "./outbox.ts";
import { createPublisher } from "./owed-events.ts";
import {
  listedVehicle,
  removingVehicle,
  updatedVehicle,
  withoutPending,
  isVisible,
  ownerOf,
  type ChangeContext,
  type OwingVehicle,
  type StoredVehicle,
  type VehiclePrice,
} from "./stored-vehicle.ts";
import { encodeChange, encodeVehicle, readVehicle } from "./vehicle-codec.ts";
import type { VehicleInput } from "./vehicle-input.ts";
import { openVehiclesBucket } from "./vehicle-watch.ts";

export interface VehicleStoreDeps {
  kv: KV;
  catalog: Pick<CatalogView, "model" | "manufacturer">;
  outbox: Outbox;
  /** The participant whose events this store publishes (default "local"): the last token of their subjects. */
  origin?: string;
  now?: () => Date;
}

const MAX_ATTEMPTS = 20;

export class VehicleStore {
  private readonly now: () => Date;
  constructor(private readonly deps: VehicleStoreDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** The owed event remembers the trace of the change (the request's span) for whoever publishes it. */
  private context(): ChangeContext {
    return { now: this.now(), msgId: crypto.randomUUID(), traceparent: traceparentOf() ?? "", origin: this.deps.origin ?? DEFAULT_PARTICIPANT };
  }

  private resolveModel(modelCode: string) {
    const model = this.deps.catalog.model(modelCode);
    const manufacturer = model && this.deps.catalog.manufacturer(model.manufacturerCode);
    if (!model || !manufacturer) throw new ModelNotFoundError(modelCode);
    return { model, manufacturer };
  }

  /** Atomic: of two creates of one registration, exactly one succeeds (KV create). The car belongs to `dealer`. */
  async create(input: VehicleInput, dealer: string): Promise<StoredVehicle> {
    const { model, manufacturer } = this.resolveModel(input.modelCode);
    const vehicle = listedVehicle(input, model, manufacturer, dealer, this.context());
    const change = encodeChange(vehicle);
    let revision: number;
    try {
      revision = await this.deps.kv.create(input.registration, change.stored);
    } catch (error) {
      if (isWrongLastSequence(error)) throw new VehicleExistsError(input.registration, { cause: error });
      throw error;
    }
    await this.deps.outbox.written(input.registration, revision, vehicle, change);
    return withoutPending(vehicle);
  }

  /**
   * PUT semantics: creates (created: true) or replaces, keeping the listing date. Only the car's dealer may
   * replace it; the check is made on the very revision the write replaces, so no race can slip past it.
   */
  async replace(input: VehicleInput, dealer: string): Promise<{ vehicle: StoredVehicle; created: boolean }> {
    const { model, manufacturer } = this.resolveModel(input.modelCode);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.read(input.registration);
      if (!current) {
        try {
          return { vehicle: await this.create(input, dealer), created: true };
        } catch (error) {
          if (error instanceof VehicleExistsError) continue;
          throw error;
        }
      }
      if (current.vehicle.removing) throw new VehicleBusyError(input.registration);
      if (ownerOf(current.vehicle) !== dealer) throw new VehicleNotOwnedError(input.registration, dealer);
      await this.deps.outbox.settle(current.vehicle);
      const vehicle = updatedVehicle(current.vehicle, input, model, manufacturer, this.context());
      if (!(await this.writeChange(input.registration, vehicle, current.revision))) continue;
      return { vehicle: withoutPending(vehicle), created: false };
    }
    throw new Error(`replace of ${input.registration} kept conflicting`);
  }

  /** Only the car's dealer may remove it. */
  async remove(registration: string, dealer: string): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.read(registration);
      if (!current || current.vehicle.removing) throw new VehicleNotFoundError(registration);
      if (ownerOf(current.vehicle) !== dealer) throw new VehicleNotOwnedError(registration, dealer);
      await this.deps.outbox.settle(current.vehicle);
      const vehicle = removingVehicle(current.vehicle, this.context());
      if (await this.writeChange(registration, vehicle, current.revision)) return;
    }
    throw new Error(`remove of ${registration} kept conflicting`);
  }

  /** Read straight from KV, so every instance answers alike the moment a write is acknowledged. */
  async get(registration: string): Promise<StoredVehicle> {
    const current = await this.read(registration);
    if (!current || !isVisible(current.vehicle)) throw new VehicleNotFoundError(registration);
    return withoutPending(current.vehicle);
  }

  /** Records a price for the listing it was computed for; stale or unknown listings are ignored. */
  async recordPrice(registration: string, listedAt: string, price: VehiclePrice): Promise<"recorded" | "unknown" | "stale"> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.read(registration);
      if (!current || !isVisible(current.vehicle)) return "unknown";
      if (current.vehicle.listedAt !== listedAt) return "stale";
      if (current.vehicle.price?.pricedAt && current.vehicle.price.pricedAt >= price.pricedAt) return "stale";
      // Never race the outbox for the key: the consumer loop retries this in a moment, after the marker is cleared.
      if (current.vehicle.pending) throw new EventStillOwedError(registration, current.vehicle.pending.kind);
      if ((await this.casUpdate(registration, encodeVehicle({ ...current.vehicle, price }), current.revision)) === undefined) continue;
      return "recorded";
    }
    throw new Error(`price of ${registration} kept conflicting`);
  }

  private read(registration: string) {
    return readVehicle(this.deps.kv, registration);
  }

  /** Step 1 of a change by CAS, then the outbox; false when another write came first. */
  private async writeChange(registration: string, vehicle: OwingVehicle, revision: number): Promise<boolean> {
    const change = encodeChange(vehicle);
    const written = await this.casUpdate(registration, change.stored, revision);
    if (written === undefined) return false;
    await this.deps.outbox.written(registration, written, vehicle, change);
    return true;
  }

  private async casUpdate(registration: string, value: Uint8Array, revision: number): Promise<number | undefined> {
    try {
      return await this.deps.kv.update(registration, value, revision);
    } catch (error) {
      if (isWrongLastSequence(error)) return undefined;
      throw error;
    }
  }
}

/** The store and its outbox on the `vehicles` bucket: what the API and the importer write through. */
export async function openVehicleStore(deps: Omit<VehicleStoreDeps, "kv" | "outbox"> & Omit<OutboxDeps, "kv" | "publish"> & { js: JetStreamClient }) {
  const kv = await openVehiclesBucket(deps.js);
  const outbox = new Outbox({ kv, publish: createPublisher(deps.js), log: deps.log, crash: deps.crash });
  return { kv, outbox, store: new VehicleStore({ kv, catalog: deps.catalog, outbox, origin: deps.origin, now: deps.now }) };
}
