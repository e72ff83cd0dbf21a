/**
 * Opens the `vehicles` bucket and follows it: every revision, in stream order, goes to the list index and to
 * whoever else watches the bucket (the outbox, for markers any instance left). Lists are read here.
 */
import { BUCKETS } from "@forecourt/shared/contracts";
import { bucketOptions, isNatsUnavailable, isStreamNotFound, onReconnect, type Dependency, type Logger } from "@forecourt/shared/platform";
import { DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages, type JetStreamClient, type StreamInfo } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import { freshCheck } from "./fresh-check.ts";
import { patientKv } from "./patient-kv.ts";
import type { StoredVehicle } from "./stored-vehicle.ts";
import { decodeVehicle } from "./vehicle-codec.ts";
import { VehicleIndex, type VehicleFilter, type VehicleSummary } from "./vehicle-index.ts";

/**
 * Reads go to the stream's leader (`allow_direct: false` on this handle), not to any replica: with replicas, a
 * direct get may be answered by a follower that has not applied the latest writes yet (the client's docs say so),
 * and nats-server before 2.9.17 answers direct gets with old revisions for a while after a restart
 * (nats-io/nats-server#4162; seen here as a price dropped for a car "not found"). The API promises that every
 * instance reads a write the moment it is acknowledged. Writes wait out a leader election (patient-kv.ts).
 */
export async function openVehiclesBucket(js: JetStreamClient): Promise<KV> {
  return patientKv(await new Kvm(js).create(BUCKETS.vehicles, { ...bucketOptions(BUCKETS.vehicles), allow_direct: false }));
}

const KEY_PREFIX = `$KV.${BUCKETS.vehicles}.`;
const STREAM = `KV_${BUCKETS.vehicles}`;
/** Pulled per request: bounds what loading a million cars holds in memory at once (a push watch does not). */
const BATCH = 1_000;
const GC_EVERY = 100_000;
/**
 * Creating the last-per-subject consumer makes the server count what it will deliver, which takes seconds for a
 * million keys: longer than the client's default 5 s API timeout, and the 3.x client does not retry the creation.
 */
const CONSUMER_CREATE_TIMEOUT_MS = 120_000;

/**
 * Resolves once every stored vehicle is in memory; later changes keep flowing in. This is what a KV watch
 * does (an ordered consumer, last value per key, then live), but pull-based so the client never buffers the
 * whole bucket.
 */
export interface VehicleWatch {
  index: VehicleIndex;
  /**
   * Resolves once every change acknowledged before the call is in the index (the bucket's last sequence,
   * asked of the server, has been applied): what makes lists from any instance agree with every write.
   */
  caughtUp(timeoutMs?: number): Promise<boolean>;
  /**
   * For readiness: the bucket is there and the index follows it. A bucket deleted and made again (by
   * `bun run rebuild vehicles`) starts its revisions over, so the index is emptied and loaded afresh.
   */
  dependency: Dependency;
  /** One page of the list, once caught up. */
  page(filter: VehicleFilter, index: number, count: number): Promise<{ total: number; items: VehicleSummary[] }>;
  /** What a snapshot of the index is complete up to: the last sequence applied, of the stream made at `created`. */
  position(): { seq: number; created: string; loaded: boolean };
  stop(): void;
}

/** Fills the empty index from elsewhere (a snapshot) and answers the sequence it holds up to; undefined: load the whole bucket. */
export type IndexStart = (index: VehicleIndex, stream: StreamInfo) => Promise<number | undefined>;

/** Told of every revision after the index: a value, or undefined for a delete/purge. */
export type BucketObserver = (key: string, revision: number, vehicle: StoredVehicle | undefined) => void;

export async function watchVehicles(nc: NatsConnection, kv: KV, log: Logger, observe?: BucketObserver, start?: IndexStart): Promise<VehicleWatch> {
  const index = new VehicleIndex();
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc, { timeout: CONSUMER_CREATE_TIMEOUT_MS });
  let appliedSeq = 0;
  const waiters = new Set<{ seq: number; resolve: () => void }>();
  let messages: ConsumerMessages | undefined;
  let streamCreated = "";
  let loading: Promise<void> | undefined;
  let generation = 0;
  let loaded = false;
  const onLoaded = new Set<() => void>();
  const setLoaded = () => {
    loaded = true;
    for (const resolve of onLoaded) resolve();
    onLoaded.clear();
  };
  const untilLoaded = () => (loaded ? Promise.resolve() : new Promise<void>((resolve) => onLoaded.add(resolve)));

  /**
   * (Re)starts following the bucket's stream: from scratch (the index emptied, then the last value of every key,
   * then live), or right after the last revision applied. A newer call supersedes an older one still starting.
   */
  const follow = async (fresh: boolean) => {
    const mine = ++generation;
    messages?.stop();
    messages = undefined;
    if (fresh) {
      index.clear();
      appliedSeq = 0;
      loaded = false;
    }
    const started = Date.now();
    const { created, state } = await jsm.streams.info(STREAM);
    if (!loaded && ((!fresh && state.last_seq <= appliedSeq) || (await kv.status()).values === 0)) setLoaded();
    if (mine !== generation) return;
    streamCreated = created;
    const start = fresh ? { deliver_policy: DeliverPolicy.LastPerSubject } : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: appliedSeq + 1 };
    const consumer = await js.consumers.get(STREAM, { filter_subjects: `${KEY_PREFIX}>`, ...start });
    const current = await consumer.consume({ max_messages: BATCH });
    if (mine !== generation) return void current.stop();
    messages = current;
    let applied = 0;
    void (async () => {
      for await (const m of current) {
        if (mine !== generation) break;
        // Collect the loading garbage as it forms, so the resident high-water mark stays near the live size.
        if (!loaded && ++applied % GC_EVERY === 0) Bun.gc(true);
        const key = m.subject.slice(KEY_PREFIX.length);
        const operation = m.headers?.get("KV-Operation");
        try {
          const vehicle = operation === "DEL" || operation === "PURGE" ? undefined : decodeVehicle(m.data);
          index.apply(key, m.seq, vehicle);
          observe?.(key, m.seq, vehicle);
        } catch (error) {
          log.error("unreadable vehicle in KV", { key, revision: m.seq, error });
        }
        appliedSeq = Math.max(appliedSeq, m.seq);
        for (const waiter of waiters) if (waiter.seq <= appliedSeq) waiter.resolve();
        if (!loaded && m.info.pending === 0) {
          index.settle();
          Bun.gc(true);
          setLoaded();
          log.info("vehicles loaded", { count: index.size, durationMs: Date.now() - started });
        }
      }
    })().catch((error) => {
      // The ordered consumer gave up (its stream went away mid-read, NATS closed): follow again shortly.
      if (mine !== generation) return;
      log.warn("vehicle index stopped following; starting again", { error });
      setTimeout(() => mine === generation && follow(!loaded).catch((e) => log.warn("vehicle index not resumed yet", { error: e })), 1_000);
    });
  };

  // A restarted server has forgotten the ordered consumer: follow again at once (from scratch if still loading).
  const stopFollowingReconnects = onReconnect(nc, () => {
    follow(!loaded).catch((error) => log.warn("vehicle index not resumed yet", { error }));
  });
  const reload = async () => {
    await follow(true);
    await untilLoaded();
  };

  try {
    const restored = start && (await start(index, await jsm.streams.info(STREAM)));
    if (restored !== undefined) appliedSeq = restored;
    // From a snapshot: only the revisions after it.
    await follow(restored === undefined);
  } catch (error) {
    // NATS went away while starting: the next reconnect starts the load again.
    if (!isNatsUnavailable(error)) throw error;
    log.warn("vehicle index waits for NATS", { error });
  }
  await untilLoaded();
  // Reads waiting at once share one question to the server (never an answer asked before they arrived).
  const lastSequence = freshCheck(async () => (await jsm.streams.info(STREAM)).state.last_seq);
  const watch: VehicleWatch = {
    index,
    async caughtUp(timeoutMs = 2_000) {
      const lastSeq = await lastSequence();
      if (lastSeq <= appliedSeq) return true;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waiter = { seq: lastSeq, resolve: () => {} };
      const reached = await new Promise<boolean>((resolve) => {
        waiter.resolve = () => resolve(true);
        waiters.add(waiter);
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      waiters.delete(waiter);
      clearTimeout(timer);
      if (!reached) log.warn("vehicle index behind the bucket", { appliedSeq, lastSeq });
      return reached;
    },
    async page(filter, from, count) {
      await watch.caughtUp();
      return index.page(filter, from, count);
    },
    dependency: {
      name: `bucket ${BUCKETS.vehicles}`,
      async probe() {
        if (loading) return "loading the vehicle index from the recreated bucket";
        let created: string;
        try {
          created = (await jsm.streams.info(STREAM)).created;
        } catch (error) {
          if (isStreamNotFound(error)) return `KV bucket ${BUCKETS.vehicles} is missing (no stream ${STREAM}); restore it from the events with: bun run rebuild vehicles`;
          throw error;
        }
        if (created === streamCreated) return undefined;
        log.warn("vehicles bucket recreated; reloading the index", { was: streamCreated, now: created });
        loading = reload()
          .catch((error) => log.error("vehicle index reload failed", { error }))
          .finally(() => (loading = undefined));
        return "loading the vehicle index from the recreated bucket";
      },
    },
    position: () => ({ seq: appliedSeq, created: streamCreated, loaded }),
    stop: () => {
      stopFollowingReconnects();
      generation++;
      messages?.stop();
    },
  };
  return watch;
}
