/**
 * Creates (or brings up to date) everything Forecourt keeps in JetStream, as NATS user `admin`, before any app
 * starts: the streams and buckets with NATS_REPLICAS copies (raising any that has fewer), the shipped catalog seeded,
 * and the durable consumers the apps bind to.
 * Apps' own users may not create or change any of these (platform/nats-permissions.ts). Run by `bun run dev`, the
 * browser stack (scripts/stack.ts) and tests that start a secured nats-server. Idempotent.
 */
import { SEED_CATALOG, seedCatalog } from "@forecourt/shared/catalog";
import { DEFAULT_PARTICIPANT, durables } from "@forecourt/shared/contracts";
import { DEFAULT_CONSUMER_SETTINGS, durableConsumerConfig, ensureBuckets, ensureDurableConsumer, ensureStreams, type ConsumerSettings, type EnsuredStream } from "@forecourt/shared/platform";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { DealerStore, openDealersBucket } from "../../apps/api/src/dealers/dealer-store.ts";
import { openVehiclesBucket } from "../../apps/api/src/vehicles/vehicle-watch.ts";
import { consumerConfig as auditConsumerConfig } from "../../apps/audit-log/src/audit-consumer.ts";

export interface SetupOptions {
  /** Which participant's stack this is (FORECOURT_PARTICIPANT): its streams capture and its durables follow its own events. */
  participant?: string;
  /** The pricer's consumer settings (its PRICER_* variables); the defaults otherwise. */
  pricer?: ConsumerSettings;
  /** NATS_REPLICAS: copies of every stream and bucket (3 on `bun run dev --cluster`); default 1. */
  replicas?: number;
}

/** Resolves with what was done to each stream and bucket (which ones had their replicas raised). */
export async function setupJetStream(nc: NatsConnection, options: SetupOptions = {}): Promise<EnsuredStream[]> {
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const participant = options.participant ?? DEFAULT_PARTICIPANT;
  const declared = durables(participant);
  const replicas = options.replicas ?? 1;
  const ensured = [...(await ensureStreams(jsm, participant, { replicas })), ...(await ensureBuckets(js, { replicas }))];
  await seedCatalog(js, SEED_CATALOG);
  await openVehiclesBucket(js);
  await openDealersBucket(js);
  await ensureDurableConsumer(jsm, declared.pricer.stream, durableConsumerConfig(declared.pricer, options.pricer ?? DEFAULT_CONSUMER_SETTINGS));
  await ensureDurableConsumer(jsm, declared.api.stream, durableConsumerConfig(declared.api, DEFAULT_CONSUMER_SETTINGS));
  // A new audit durable starts at the stream's beginning; the audit log skips what its file already holds.
  await ensureDurableConsumer(jsm, declared.auditLog.stream, auditConsumerConfig(0));
  return ensured;
}

/** A dealer whose key the caller keeps (the demo dealer): the kept key while it still works, else a new one. */
export async function ensureDealerKey(nc: NatsConnection, name: string, kept?: string): Promise<{ key: string; issued: boolean }> {
  return new DealerStore(await openDealersBucket(jetstream(nc))).ensureKey(name, kept);
}
