/**
 * Rebuilds the `vehicles` bucket from the VEHICLES stream: every event of this participant's (the bucket holds only
 * its own cars; in a workshop VEHICLES also holds the others') replayed in stream order into the value the API
 * would have stored (vehicle-replay.ts), then each key written only where the bucket differs, so a second run
 * writes nothing. Creates the bucket when it is missing, with the API's settings.
 */
import { decodeEvent, InvalidEventError, parseVehicleSubject, STREAMS, SUBJECTS } from "@forecourt/shared/contracts";
import { DeliverPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { inParallel } from "../../apps/api/src/vehicles/bulk-listing.ts";
import type { StoredVehicle } from "../../apps/api/src/vehicles/stored-vehicle.ts";
import { decodeVehicle, encodeVehicle } from "../../apps/api/src/vehicles/vehicle-codec.ts";
import { replayEvent } from "../../apps/api/src/vehicles/vehicle-replay.ts";
import { openVehiclesBucket } from "../../apps/api/src/vehicles/vehicle-watch.ts";

export interface RebuildProgress {
  phase: "reading events" | "writing vehicles";
  done: number;
  total: number;
}

export interface RebuildResult {
  events: number;
  /** Events of other participants (sourced from a workshop hub), not this bucket's. */
  othersEvents: number;
  /** Registrations the events mention: cars to store plus cars removed. */
  registrations: number;
  written: number;
  deleted: number;
  unchanged: number;
  /** Events that could not be read (not the contract): left out, with why. */
  skipped: { seq: number; subject: string; reason: string }[];
}

const WRITE_CONCURRENCY = 64;

/** Reads every vehicle event in stream order and folds each car's events into its final stored value. */
async function replayStream(nc: NatsConnection, participant: string, onProgress: (p: RebuildProgress) => void) {
  const jsm = await jetstreamManager(nc);
  const { state } = await jsm.streams.info(STREAMS.vehicles.name);
  const cars = new Map<string, StoredVehicle | undefined>();
  const skipped: RebuildResult["skipped"] = [];
  let events = 0;
  let othersEvents = 0;
  onProgress({ phase: "reading events", done: 0, total: state.messages });
  if (state.messages === 0) return { cars, skipped, events, othersEvents };
  const consumer = await jetstream(nc).consumers.get(STREAMS.vehicles.name, { filter_subjects: SUBJECTS.vehicles, deliver_policy: DeliverPolicy.All });
  const messages = await consumer.consume({ max_messages: 1_000 });
  for await (const m of messages) {
    events++;
    const parsed = parseVehicleSubject(m.subject);
    if (parsed && parsed.origin !== participant) othersEvents++;
    else {
      try {
        if (!parsed) throw new InvalidEventError(`subject ${m.subject} is not a vehicle event`);
        const body = decodeEvent(parsed.kind, m.data);
        cars.set(body.registration, replayEvent(cars.get(body.registration), parsed.kind, body));
      } catch (error) {
        if (!(error instanceof InvalidEventError)) throw error;
        skipped.push({ seq: m.seq, subject: m.subject, reason: error.message });
      }
    }
    if (events % 1_000 === 0) onProgress({ phase: "reading events", done: events, total: Math.max(events, state.messages) });
    if (m.info.pending === 0) break;
  }
  messages.stop();
  onProgress({ phase: "reading events", done: events, total: events });
  return { cars, skipped, events, othersEvents };
}

function sameValue(stored: Uint8Array, wanted: StoredVehicle): boolean {
  try {
    return Bun.deepEquals(decodeVehicle(stored), wanted, true);
  } catch {
    return false;
  }
}

export async function rebuildVehicles(nc: NatsConnection, participant: string, onProgress: (p: RebuildProgress) => void = () => {}): Promise<RebuildResult> {
  const { cars, skipped, events, othersEvents } = await replayStream(nc, participant, onProgress);
  const kv = await openVehiclesBucket(jetstream(nc));
  const result: RebuildResult = { events, othersEvents, registrations: cars.size, written: 0, deleted: 0, unchanged: 0, skipped };
  const entries = [...cars];
  let done = 0;
  onProgress({ phase: "writing vehicles", done, total: entries.length });
  await inParallel(entries, WRITE_CONCURRENCY, async ([registration, wanted]) => {
    const existing = await kv.get(registration);
    const present = existing?.operation === "PUT";
    if (wanted === undefined) {
      if (present) {
        await kv.delete(registration);
        result.deleted++;
      } else result.unchanged++;
    } else if (present && sameValue(existing.value, wanted)) {
      result.unchanged++;
    } else {
      await kv.put(registration, encodeVehicle(wanted));
      result.written++;
    }
    if (++done % 500 === 0 || done === entries.length) onProgress({ phase: "writing vehicles", done, total: entries.length });
  });
  return result;
}
