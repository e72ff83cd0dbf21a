/**
 * The JetStream streams and key-value buckets every app relies on, each with the replica count of NATS_REPLICAS
 * (see replicas.ts). `bun run dev`, the browser stack and secured tests create them as `admin` before any app
 * starts (scripts/setup), raising any that has fewer replicas; an app then only binds: it creates a stream only
 * when it is missing and updates one only when a setting differs, and a user without those rights (every app's
 * under nats.conf) is refused only then. An app that finds fewer replicas than NATS_REPLICAS stops with one line.
 */
import { DiscardPolicy, JetStreamApiError, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager, type StreamConfig, type StreamInfo } from "@nats-io/jetstream";
import { Kvm, type KvOptions } from "@nats-io/kv";
import { BUCKETS, STREAMS, vehicleStreamSubjects } from "../contracts/subjects.ts";
import { isAlreadyExists, isPermissionDenied, isStreamNotFound } from "./nats-errors.ts";
import { isNatsUnavailable } from "./nats-unavailable.ts";
import { ReplicaError, replicaAction } from "./replicas.ts";

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

export interface BucketSettings {
  bucket: string;
  history: number;
  description: string;
}

export const BUCKET_CONFIGS: BucketSettings[] = [
  { bucket: BUCKETS.vehicles, history: 1, description: "Forecourt vehicles by normalised registration" },
  { bucket: BUCKETS.manufacturers, history: 1, description: "Forecourt catalog: manufacturers by code" },
  { bucket: BUCKETS.models, history: 1, description: "Forecourt catalog: models by code" },
  { bucket: BUCKETS.dealers, history: 1, description: "Forecourt dealers: hashed API keys by dealer name" },
];

/** Options to open (and, when missing, create) a bucket; the replica count applies only to a creation. */
export function bucketOptions(bucket: string, replicas = 1): Partial<KvOptions> {
  const config = BUCKET_CONFIGS.find((c) => c.bucket === bucket);
  if (!config) throw new Error(`no bucket ${bucket} in BUCKET_CONFIGS`);
  return { history: config.history, description: config.description, replicas };
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

export interface ReplicaOptions {
  /** Copies JetStream keeps of each stream (NATS_REPLICAS); existing ones with fewer are raised to it, or refused. */
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
  if (isPermissionDenied(error)) return new SetupRequiredError(`stream ${stream} does not exist`, { cause: error });
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

/**
 * Runs a stream's creation, asking again when it timed out: in a cluster the meta leader may be busy (just elected,
 * placing another stream) and answer late or not at all, while the creation may have happened all the same. After a
 * timeout the stream is looked up; found, it is done; else the creation (idempotent for the same settings) is sent
 * again, up to `attempts` times in all.
 */
export async function createPatiently(jsm: Pick<JetStreamManager, "streams">, name: string, create: () => Promise<unknown>, attempts = 4): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await create();
      return;
    } catch (error) {
      if (!isNatsUnavailable(error) || attempt >= attempts) throw error;
      if (await streamInfo(jsm as JetStreamManager, name).catch(() => undefined)) return;
    }
  }
}

/**
 * Raises an existing stream to the wanted replicas when it has fewer; refuses in one line when it cannot (a single
 * server, or a user other than admin: apps bind and never stay silently below NATS_REPLICAS).
 */
async function ensureReplicas(jsm: JetStreamManager, info: StreamInfo, wanted: number): Promise<EnsuredStream> {
  const name = info.config.name;
  const current = info.config.num_replicas;
  const action = replicaAction({ current, wanted, clustered: Boolean(info.cluster?.name) });
  if (action === "keep") return { stream: name, replicas: current };
  if (action === "refuse-unclustered") throw new ReplicaError(name, wanted, current, "the server is not part of a JetStream cluster");
  try {
    await jsm.streams.update(name, { num_replicas: wanted });
  } catch (error) {
    const reason = isPermissionDenied(error) ? "only admin may change it (bun run dev's setup raises it)" : reasonOf(error);
    throw new ReplicaError(name, wanted, current, reason, { cause: error });
  }
  return { stream: name, replicas: wanted, raisedFrom: current };
}

/**
 * Creates the participant's streams when missing, or brings a setting they name up to date when it differs (an update
 * keeps settings it does not name: sources, replicas), then makes sure each has `replicas` copies.
 */
export async function ensureStreams(
  jsm: JetStreamManager,
  participant: string,
  { configs = streamConfigs(participant), replicas = 1, ...options }: EnsureOptions & ReplicaOptions & { configs?: StreamSettings[] } = {},
): Promise<EnsuredStream[]> {
  const ensured: EnsuredStream[] = [];
  for (const config of configs) {
    const existing = await streamInfo(jsm, config.name);
    if (!existing) {
      try {
        await createPatiently(jsm, config.name, () => jsm.streams.add({ ...config, num_replicas: replicas }));
        ensured.push({ stream: config.name, replicas });
      } catch (addError) {
        // Another app created it between our look and our add: fine, it is there now.
        if (!isAlreadyExists(addError)) throw creationError(config.name, replicas, addError);
        ensured.push(await ensureReplicas(jsm, await createdStreamInfo(jsm, config.name), replicas));
      }
      continue;
    }
    const differing = differingSettings(config, existing.config);
    if (differing.length) {
      try {
        // The update merges into the stored configuration, so it never lowers a replica count set earlier.
        await jsm.streams.update(config.name, config);
      } catch (error) {
        if (!isPermissionDenied(error)) throw error;
        options.onOutdated?.(config.name, differing);
      }
    }
    ensured.push(await ensureReplicas(jsm, existing, replicas));
  }
  return ensured;
}

/**
 * Creates every key-value bucket named (all of BUCKET_CONFIGS by default) that is missing and raises the replicas of
 * those that have fewer; an app names only the buckets it reads, since its user may look at no others.
 */
export async function ensureBuckets(js: JetStreamClient, { replicas = 1, buckets }: ReplicaOptions & { buckets?: readonly string[] } = {}): Promise<EnsuredStream[]> {
  const jsm = await js.jetstreamManager();
  const kvm = new Kvm(js);
  const ensured: EnsuredStream[] = [];
  for (const { bucket } of BUCKET_CONFIGS.filter((c) => !buckets || buckets.includes(c.bucket))) {
    const stream = `KV_${bucket}`;
    const info = await streamInfo(jsm, stream);
    if (info) {
      ensured.push(await ensureReplicas(jsm, info, replicas));
      continue;
    }
    try {
      await createPatiently(jsm, stream, () => kvm.create(bucket, bucketOptions(bucket, replicas)));
    } catch (error) {
      throw creationError(stream, replicas, error);
    }
    ensured.push(await ensureReplicas(jsm, await createdStreamInfo(jsm, stream), replicas));
  }
  return ensured;
}
