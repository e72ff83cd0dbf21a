/**
 * The transactional outbox of the `vehicles` bucket. The store does step 1, one KV write holding the car and
 * the event it owes (the `pending` marker); the outbox then
 *   2. publishes the event with its Nats-Msg-Id,
 *   3. clears the marker (for a removal, deletes the key) by CAS on the revision of step 1.
 * A process dying after 1 leaves the marker in KV. The outbox keeps its own set of registrations that owe an
 * event: its own writes, and every marker the bucket shows (`observe`, fed by the watch, so markers a dead
 * instance left are found at start and while running). `sweep` re-reads each from KV, publishes what is still
 * owed (same Nats-Msg-Id, so JetStream drops a copy already stored) and clears it: at start, then every 5 s.
 * Assumes a replay within JetStream's duplicate window (10 minutes) of a crash between 2 and 3.
 */
import { encodeEvent } from "@forecourt/shared/contracts";
import { isWrongLastSequence, type Logger } from "@forecourt/shared/platform";
import type { KV } from "@nats-io/kv";
import type { PublishOwed } from "./owed-events.ts";
import { withoutPending, type OwingVehicle, type StoredVehicle } from "./stored-vehicle.ts";
import { encodeVehicle, readVehicle, type EncodedChange } from "./vehicle-codec.ts";

/** Points where a test may make the process die, to prove the outbox (API_CRASH_AFTER). */
export type CrashPoint = "vehicle-write" | "event-publish";

export interface OutboxDeps {
  kv: KV;
  publish: PublishOwed;
  log: Logger;
  /** Called at each crash point; production passes nothing. */
  crash?: (point: CrashPoint) => void;
}

export const SWEEP_INTERVAL_MS = 5_000;
const MAX_ATTEMPTS = 20;

export class Outbox {
  /** Registration → the revision that owes an event, and when this instance first knew it. */
  private readonly owed = new Map<string, { revision: number; since: number }>();

  constructor(private readonly deps: OutboxDeps) {}

  /** How many registrations owe an event, as far as this instance knows. */
  get size(): number {
    return this.owed.size;
  }

  has(registration: string): boolean {
    return this.owed.has(registration);
  }

  /** Each registration owing an event and the revision that owes it, for the index snapshot (index-snapshot-file.ts). */
  owedRevisions(): [string, number][] {
    return [...this.owed].map(([registration, { revision }]) => [registration, revision]);
  }

  /**
   * After step 1. The caller answers success even when NATS refuses step 2 for now: the marker is in KV, and
   * the sweep delivers it.
   */
  async written(registration: string, revision: number, vehicle: OwingVehicle, change: EncodedChange): Promise<void> {
    this.track(registration, revision);
    this.deps.crash?.("vehicle-write");
    try {
      await this.deliver(registration, revision, vehicle, change);
    } catch (error) {
      this.deps.log.warn("event owed; will retry", { registration, error });
    }
  }

  /** A change that replaces an owed event publishes it first (same Nats-Msg-Id), so subscribers see every step in order. */
  async settle(vehicle: StoredVehicle): Promise<void> {
    if (vehicle.pending) await this.deps.publish(vehicle.pending, encodeEvent(vehicle.pending.kind, vehicle.pending.body));
  }

  /** One revision of a key as the bucket holds it (undefined: deleted); older than what is known is ignored. */
  observe(registration: string, revision: number, vehicle: StoredVehicle | undefined): void {
    if (vehicle?.pending) this.track(registration, revision);
    else this.forget(registration, revision);
  }

  /** Publishes every event owed for longer than `olderThanMs` (0 on start: all of them), as KV holds it now. */
  async sweep(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let delivered = 0;
    for (const [registration, { since }] of [...this.owed]) {
      if (since > cutoff) continue;
      try {
        const current = await readVehicle(this.deps.kv, registration);
        if (!current?.vehicle.pending) {
          this.forget(registration, current?.revision ?? Number.MAX_SAFE_INTEGER);
          continue;
        }
        await this.deliver(registration, current.revision, current.vehicle as OwingVehicle);
        delivered++;
      } catch (error) {
        this.deps.log.warn("owed event not delivered yet", { registration, error });
      }
    }
    if (delivered) this.deps.log.info("owed events delivered", { count: delivered });
    return delivered;
  }

  /** Sweeps everything at once now, then what has been owed for a while every `intervalMs`. */
  start(intervalMs = SWEEP_INTERVAL_MS): { first: Promise<number>; stop(): void } {
    const first = this.sweep(0);
    const timer = setInterval(() => {
      this.sweep(intervalMs).catch((error) => this.deps.log.warn("outbox sweep failed", { error }));
    }, intervalMs);
    return { first, stop: () => clearInterval(timer) };
  }

  private track(registration: string, revision: number): void {
    const known = this.owed.get(registration);
    if (!known) this.owed.set(registration, { revision, since: Date.now() });
    else if (known.revision < revision) known.revision = revision;
  }

  /** Cleared at `revision`: forgotten unless a newer write owes again. */
  private forget(registration: string, revision: number): void {
    const known = this.owed.get(registration);
    if (known && known.revision <= revision) this.owed.delete(registration);
  }

  /** Steps 2 and 3. `change` holds the bytes encoded with the write; a sweep encodes what it read. */
  private async deliver(registration: string, revision: number, vehicle: OwingVehicle, change?: EncodedChange): Promise<void> {
    const owed = vehicle.pending;
    const { duplicate } = await this.deps.publish(owed, change?.event ?? encodeEvent(owed.kind, owed.body));
    this.deps.log.debug("vehicle event published", { registration, event: owed.kind, msgId: owed.msgId, duplicate });
    this.deps.crash?.("event-publish");
    let settled = change?.settled;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        if (vehicle.removing) await this.deps.kv.delete(registration, { previousSeq: revision });
        else await this.deps.kv.update(registration, settled ?? encodeVehicle(withoutPending(vehicle)), revision);
        this.forget(registration, revision);
        return;
      } catch (error) {
        if (!isWrongLastSequence(error)) throw error;
        // Someone wrote since (a price, a newer change): clear our marker only if it is still ours.
        const current = await readVehicle(this.deps.kv, registration);
        if (current?.vehicle.pending?.msgId !== owed.msgId) return this.forget(registration, revision);
        revision = current.revision;
        vehicle = current.vehicle as OwingVehicle;
        settled = undefined;
      }
    }
  }
}
