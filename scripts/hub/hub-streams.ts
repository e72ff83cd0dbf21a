/**
 * The hub's per-participant streams: `P_<name>` has no subjects of its own and sources participant <name>'s VEHICLES
 * through that participant's JetStream domain, only the events whose origin is <name>. Every other participant's
 * VEHICLES sources it in turn. A participant that is offline is caught up from its own stream when it returns.
 */
import { RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from "@nats-io/jetstream";
import { hubStreamName, STREAMS, vehicleFilter } from "@forecourt/shared/contracts";
import { isStreamNotFound } from "@forecourt/shared/platform";

export function participantStreamConfig(name: string): Partial<StreamConfig> & { name: string } {
  return {
    name: hubStreamName(name),
    description: `Participant ${name}'s vehicle events, sourced from its own VEHICLES`,
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    sources: [{ name: STREAMS.vehicles.name, external: { api: `$JS.${name}.API`, deliver: "" }, filter_subject: vehicleFilter({ origin: name }) }],
  };
}

/** Creates P_<name> if it is missing; an existing one is left as it is (its sources already name the participant). */
export async function ensureParticipantStream(jsm: JetStreamManager, name: string): Promise<boolean> {
  const config = participantStreamConfig(name);
  try {
    await jsm.streams.info(config.name);
    return false;
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
  }
  await jsm.streams.add(config);
  return true;
}
