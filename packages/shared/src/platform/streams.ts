/**
 * The JetStream streams every app relies on. `bun run dev`, the browser stack and secured tests create them as
 * `admin` before any app starts (scripts/setup); an app then only binds: it creates a stream only when it is
 * missing and updates one only when a setting differs, and a user without those rights (every app's under
 * nats.conf) is refused only then.
 */
import { DiscardPolicy, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from "@nats-io/jetstream";
import { STREAMS, vehicleStreamSubjects } from "../contracts/subjects.ts";
import { isAlreadyExists, isPermissionDenied, isStreamNotFound } from "./nats-errors.ts";

const MINUTE_NS = 60 * 1_000_000_000;

export type StreamSettings = Partial<StreamConfig> & { name: string };

/**
 * The streams of one participant's stack. VEHICLES captures only the participant's own events; in a workshop the
 * other participants' events arrive as sources from the hub (set by the dev runner, kept by every update here).
 */
export function streamConfigs(participant: string): StreamSettings[] {
  return [
    {
      name: STREAMS.vehicles.name,
      subjects: vehicleStreamSubjects(participant),
      description: "Every vehicle event: listed, updated, removed, priced",
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      // Nats-Msg-Id duplicates within this window are dropped: long enough to cover a crashed publisher's retry.
      duplicate_window: 10 * MINUTE_NS,
    },
    {
      name: STREAMS.deadLetter.name,
      subjects: [...STREAMS.deadLetter.subjects],
      description: "Messages a consumer gave up on, with the reason and original subject and headers",
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      duplicate_window: 10 * MINUTE_NS,
    },
  ];
}

/** The settings of `wanted` that `actual` does not have (arrays and objects compared by value). */
export function differingSettings(wanted: object, actual: object): string[] {
  const have = actual as Record<string, unknown>;
  return Object.entries(wanted)
    .filter(([key, value]) => value !== undefined && JSON.stringify(value) !== JSON.stringify(have[key]))
    .map(([key]) => key);
}

/** A JetStream object this user may not create or change: run the setup (scripts/setup) as admin. */
export class SetupRequiredError extends Error {
  constructor(what: string, options?: ErrorOptions) {
    super(`${what}, and this NATS user may not create or change it: start Forecourt with bun run dev (or run its setup as admin) first`, options);
    this.name = "SetupRequiredError";
  }
}

export interface EnsureOptions {
  /** Told when a stream's settings differ and this user may not bring them up to date. */
  onOutdated?: (name: string, settings: string[]) => void;
}

/**
 * Creates the participant's streams when missing, or brings a setting they name up to date when it differs; an update
 * keeps settings it does not name (sources).
 */
export async function ensureStreams(jsm: JetStreamManager, participant: string, configs: StreamSettings[] = streamConfigs(participant), options: EnsureOptions = {}): Promise<void> {
  for (const config of configs) {
    let existing;
    try {
      existing = await jsm.streams.info(config.name);
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
      try {
        await jsm.streams.add(config);
      } catch (addError) {
        if (isPermissionDenied(addError)) throw new SetupRequiredError(`stream ${config.name} does not exist`, { cause: addError });
        // Another app created it between our look and our add: fine, it is there now.
        if (!isAlreadyExists(addError)) throw addError;
      }
      continue;
    }
    const differing = differingSettings(config, existing.config);
    if (!differing.length) continue;
    try {
      await jsm.streams.update(config.name, config);
    } catch (error) {
      if (!isPermissionDenied(error)) throw error;
      options.onOutdated?.(config.name, differing);
    }
  }
}
