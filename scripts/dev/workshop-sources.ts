/**
 * Keeps a participant's VEHICLES sourcing every other participant's events from the hub. The roster is the hub's
 * P_<name> streams (listed through the hub's JetStream domain): VEHICLES sources each one except its own, never its
 * own (its own events are already there, captured by subject; nats-server 2.9.10's sourcing stalls on the duplicate).
 * Checked every few seconds, so a newcomer is picked up, an update racing an app's start is repaired, and while the
 * hub is unreachable nothing changes.
 */
import { jetstreamManager, type JetStreamManager, type StreamSource } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { HUB, hubStreamName, STREAMS } from "@forecourt/shared/contracts";
import { ensureStreams, type Logger } from "@forecourt/shared/platform";

/** The sources VEHICLES should have, given the hub's stream names: one per other participant, sorted. */
export function desiredSources(participant: string, hubStreams: string[]): StreamSource[] {
  const own = hubStreamName(participant);
  return hubStreams
    .filter((name) => name.startsWith(HUB.streamPrefix) && name !== own)
    .sort()
    .map((name) => ({ name, external: { api: `$JS.${HUB.domain}.API`, deliver: "" } }));
}

export function sameSources(a: StreamSource[] | undefined, b: StreamSource[]): boolean {
  const names = (list: StreamSource[] | undefined) => (list ?? []).map((s) => `${s.name}@${s.external?.api ?? ""}`).sort().join(",");
  return names(a) === names(b);
}

async function hubStreamNames(hub: JetStreamManager): Promise<string[]> {
  const names: string[] = [];
  for await (const name of hub.streams.names()) names.push(name);
  return names;
}

export interface SourcesSync {
  /** Resolves after the first check that reached the hub. */
  firstSync: Promise<void>;
  stop(): void;
}

export async function startSourcesSync(options: { nc: NatsConnection; participant: string; log: Logger; intervalMs?: number }): Promise<SourcesSync> {
  const { nc, participant, log } = options;
  const local = await jetstreamManager(nc);
  await ensureStreams(local, participant);
  const hub = await jetstreamManager(nc, { domain: HUB.domain, timeout: 2_000, checkAPI: false });
  let synced!: () => void;
  const firstSync = new Promise<void>((resolve) => (synced = resolve));
  let running = false;
  let stopped = false;
  const check = async () => {
    if (running || stopped) return;
    running = true;
    try {
      const wanted = desiredSources(participant, await hubStreamNames(hub));
      const { config } = await local.streams.info(STREAMS.vehicles.name);
      if (!sameSources(config.sources, wanted)) {
        await local.streams.update(STREAMS.vehicles.name, { sources: wanted });
        log.info("sources updated", { stream: STREAMS.vehicles.name, sources: wanted.map((s) => s.name) });
      }
      synced();
    } catch (error) {
      log.debug("sources not checked (hub unreachable?)", { error });
    } finally {
      running = false;
    }
  };
  await check();
  const timer = setInterval(() => void check(), options.intervalMs ?? 2_000);
  return {
    firstSync,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
