/**
 * The JetStream streams and key-value buckets every app relies on, created or brought up to date idempotently
 * at start, each with the replica count of NATS_REPLICAS (see replicas.ts).
 */
import { DiscardPolicy, JetStreamApiError, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager, type StreamConfig, type StreamInfo } from "@nats-io/jetstream";
import { Kvm, type KvOptions } from "@nats-io/kv";
import { BUCKETS, STREAMS } from "../contracts/subjects.ts";
import { isAlreadyExists, isStreamNotFound } from "./nats-errors.ts";
import { ReplicaError, replicaAction } from "./replicas.ts";

const MINUTE_NS = 60 * 1_000_000_000;

export type StreamSettings = Partial<StreamConfig> & { name: string };

export const STREAM_CONFIGS: StreamSettings[] = [
  {
    name: STREAMS.vehicles.name,
    subjects: [...STREAMS.vehicles.subjects],
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

export interface BucketSettings {
  bucket: string;
  history: number;
  description: string;
}

export const BUCKET_CONFIGS: BucketSettings[] = [
  { bucket: BUCKETS.vehicles, history: 1, description: "Forecourt vehicles by normalised registration" },
  { bucket: BUCKETS.manufacturers, history: 1, description: "Forecourt catalog: manufacturers by code" },
  { bucket: BUCKETS.models, history: 1, description: "Forecourt catalog: models by code" },
];

/** Options to open (and, when missing, create) a bucket; the replica count applies only to a creation. */
export function bucketOptions(bucket: string, replicas = 1): Partial<KvOptions> {
  const config = BUCKET_CONFIGS.find((c) => c.bucket === bucket);
  if (!config) throw new Error(`no bucket ${bucket} in BUCKET_CONFIGS`);
  return { history: config.history, description: config.description, replicas };
}

export interface EnsureOptions {
  /** Copies JetStream keeps of each stream (NATS_REPLICAS); existing ones with fewer are raised to it. */
  replicas?: number;
}

/** What ensuring did to one stream or bucket stream: `raisedFrom` when its replica count was raised. */
export interface EnsuredStream {
  stream: string;
  replicas: number;
  raisedFrom?: number;
}

/** The server's own words for a refused JetStream request, else the error's. */
const reasonOf = (error: unknown) => (error instanceof JetStreamApiError ? `${error.message} (JetStream error ${error.code})` : String(error));

/** A creation the server refused while more than one replica was asked for is explained as a replica problem. */
function creationError(stream: string, replicas: number, error: unknown): unknown {
  return replicas > 1 && error instanceof JetStreamApiError ? new ReplicaError(stream, replicas, undefined, reasonOf(error), { cause: error }) : error;
}

async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo | undefined> {
  try {
    return await jsm.streams.info(name);
  } catch (error) {
    if (isStreamNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * The info of a stream just created or found created: in a cluster the stream's leader may answer a creation
 * before the meta layer has it, so "not found" right after is asked again for a few seconds.
 */
async function createdStreamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo> {
  for (let attempt = 0; ; attempt++) {
    const info = await streamInfo(jsm, name);
    if (info) return info;
    if (attempt >= 50) throw new Error(`stream ${name} was created but is not found`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Raises an existing stream to the wanted replicas when it has fewer; refuses in one line when it cannot. */
async function ensureReplicas(jsm: JetStreamManager, info: StreamInfo, wanted: number): Promise<EnsuredStream> {
  const name = info.config.name;
  const current = info.config.num_replicas;
  const action = replicaAction({ current, wanted, clustered: Boolean(info.cluster?.name) });
  if (action === "keep") return { stream: name, replicas: current };
  if (action === "refuse-unclustered") throw new ReplicaError(name, wanted, current, "the server is not part of a JetStream cluster");
  try {
    await jsm.streams.update(name, { num_replicas: wanted });
  } catch (error) {
    throw new ReplicaError(name, wanted, current, reasonOf(error), { cause: error });
  }
  return { stream: name, replicas: wanted, raisedFrom: current };
}

export async function ensureStreams(jsm: JetStreamManager, { replicas = 1, configs = STREAM_CONFIGS }: EnsureOptions & { configs?: StreamSettings[] } = {}): Promise<EnsuredStream[]> {
  const ensured: EnsuredStream[] = [];
  for (const config of configs) {
    const info = await streamInfo(jsm, config.name);
    if (info) {
      // The update merges into the stored configuration, so it never lowers a replica count set earlier.
      await jsm.streams.update(config.name, config);
      ensured.push(await ensureReplicas(jsm, info, replicas));
      continue;
    }
    try {
      await jsm.streams.add({ ...config, num_replicas: replicas });
      ensured.push({ stream: config.name, replicas });
    } catch (addError) {
      // Another app created it between our look and our add: fine, it is there now.
      if (!isAlreadyExists(addError)) throw creationError(config.name, replicas, addError);
      ensured.push(await ensureReplicas(jsm, await createdStreamInfo(jsm, config.name), replicas));
    }
  }
  return ensured;
}

/** Creates every key-value bucket that is missing and raises the replicas of those that have fewer. */
export async function ensureBuckets(js: JetStreamClient, { replicas = 1, configs = BUCKET_CONFIGS }: EnsureOptions & { configs?: BucketSettings[] } = {}): Promise<EnsuredStream[]> {
  const jsm = await js.jetstreamManager();
  const kvm = new Kvm(js);
  const ensured: EnsuredStream[] = [];
  for (const { bucket } of configs) {
    const stream = `KV_${bucket}`;
    const info = await streamInfo(jsm, stream);
    if (info) {
      ensured.push(await ensureReplicas(jsm, info, replicas));
      continue;
    }
    try {
      await kvm.create(bucket, bucketOptions(bucket, replicas));
    } catch (error) {
      throw creationError(stream, replicas, error);
    }
    ensured.push(await ensureReplicas(jsm, await createdStreamInfo(jsm, stream), replicas));
  }
  return ensured;
}
