/** The JetStream streams every app relies on, created or brought up to date idempotently at start. */
import { DiscardPolicy, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from "@nats-io/jetstream";
import { STREAMS, vehicleStreamSubjects } from "../contracts/subjects.ts";
import { isAlreadyExists, isStreamNotFound } from "./nats-errors.ts";

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

/** Creates the participant's streams or brings them up to date; an update keeps settings it does not name (sources). */
export async function ensureStreams(jsm: JetStreamManager, participant: string, configs: StreamSettings[] = streamConfigs(participant)): Promise<void> {
  for (const config of configs) {
    try {
      await jsm.streams.info(config.name);
      await jsm.streams.update(config.name, config);
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
      try {
        await jsm.streams.add(config);
      } catch (addError) {
        // Another app created it between our look and our add: fine, it is there now.
        if (!isAlreadyExists(addError)) throw addError;
      }
    }
  }
}
