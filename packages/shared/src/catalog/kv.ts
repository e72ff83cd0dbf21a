/**
 * The catalog in JetStream key-value buckets (catalog-manufacturers, catalog-models): seeded idempotently,
 * read through an in-memory view that a KV watch keeps current, so every app sees one catalog.
 */
import type { JetStreamClient } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import { onReconnect } from "../platform/nats-events.ts";
import { BUCKETS } from "../contracts/subjects.ts";
import { isPermissionDenied } from "../platform/nats-errors.ts";
import { bucketOptions } from "../platform/streams.ts";
import type { CarModel, Catalog, Manufacturer } from "./types.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export async function openCatalogBuckets(js: JetStreamClient): Promise<{ manufacturers: KV; models: KV }> {
  const kvm = new Kvm(js);
  const [manufacturers, models] = await Promise.all([
    kvm.create(BUCKETS.manufacturers, bucketOptions(BUCKETS.manufacturers)),
    kvm.create(BUCKETS.models, bucketOptions(BUCKETS.models)),
  ]);
  return { manufacturers, models };
}

/** Writes every entry that is missing or different; entries already equal are left alone, so reruns write nothing. */
export async function seedCatalog(js: JetStreamClient, catalog: Catalog): Promise<{ written: number }> {
  const buckets = await openCatalogBuckets(js);
  let written = 0;
  const put = async (kv: KV, key: string, value: unknown) => {
    const json = JSON.stringify(value);
    const existing = await kv.get(key);
    if (existing && existing.operation === "PUT" && decoder.decode(existing.value) === json) return;
    await kv.put(key, encoder.encode(json));
    written++;
  };
  for (const m of catalog.manufacturers) await put(buckets.manufacturers, m.code, m);
  for (const m of catalog.models) await put(buckets.models, m.code, m);
  return { written };
}

/**
 * Seeds the catalog when this NATS user may write it; one that may not (pricing, under nats.conf) relies on the
 * copy admin seeded at setup, and says so when the shipped catalog has changed since.
 */
export async function seedCatalogIfAllowed(js: JetStreamClient, catalog: Catalog, onRefused: () => void): Promise<void> {
  try {
    await seedCatalog(js, catalog);
  } catch (error) {
    if (!isPermissionDenied(error)) throw error;
    onRefused();
  }
}

export interface CatalogView {
  manufacturer(code: string): Manufacturer | undefined;
  model(code: string): CarModel | undefined;
  /** Sorted by code. */
  manufacturers(): Manufacturer[];
  /** Sorted by code. */
  models(): CarModel[];
  modelsOf(manufacturerCode: string): CarModel[];
  stop(): void;
}

/**
 * Loads both buckets and keeps following them; resolves once the current contents are in memory. Given the
 * connection, it follows again after every reconnect (a restarted server forgets a watch's consumer).
 */
export async function openCatalogView(js: JetStreamClient, nc?: NatsConnection): Promise<CatalogView> {
  const buckets = await openCatalogBuckets(js);
  const manufacturers = new Map<string, Manufacturer>();
  const models = new Map<string, CarModel>();
  let sortedManufacturers: Manufacturer[] | undefined;
  let sortedModels: CarModel[] | undefined;

  const follow = <T>(kv: KV, into: Map<string, T>, changed: () => void) => {
    let watch: { stop(): void } | undefined;
    let generation = 0;
    let initialised!: () => void;
    const ready = new Promise<void>((resolve) => (initialised = resolve));
    const start = async () => {
      const mine = ++generation;
      watch?.stop();
      // The watch marks the last entry of its initial snapshot (and every later one) as an update; an empty bucket has none.
      if ((await kv.status()).values === 0) initialised();
      const current = await kv.watch({ key: ">" });
      if (mine !== generation) return current.stop();
      watch = current;
      /** Keys of this watch's snapshot: any other key was deleted while the previous watch was not listening. */
      let snapshot: Set<string> | undefined = new Set();
      for await (const entry of current) {
        if (entry.operation === "PUT") into.set(entry.key, JSON.parse(decoder.decode(entry.value)) as T);
        else into.delete(entry.key);
        snapshot?.add(entry.key);
        if (entry.isUpdate && snapshot) {
          for (const key of into.keys()) if (!snapshot.has(key)) into.delete(key);
          snapshot = undefined;
        }
        changed();
        if (entry.isUpdate) initialised();
      }
    };
    // A later start that fails (NATS gone again) is retried at the next reconnect; the first one's failure is the caller's.
    const restart = () => void start().catch(() => {});
    const first = start();
    return { ready: Promise.race([ready, first.then(() => ready)]), restart, stop: () => (generation++, watch?.stop()) };
  };
  const followers = [
    follow(buckets.manufacturers, manufacturers, () => (sortedManufacturers = undefined)),
    follow(buckets.models, models, () => (sortedModels = undefined)),
  ];
  const stopFollowingReconnects = nc ? onReconnect(nc, () => followers.forEach((f) => f.restart())) : () => {};
  await Promise.all(followers.map((f) => f.ready));
  const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

  return {
    manufacturer: (code) => manufacturers.get(code),
    model: (code) => models.get(code),
    manufacturers: () => (sortedManufacturers ??= [...manufacturers.values()].sort(byCode)),
    models: () => (sortedModels ??= [...models.values()].sort(byCode)),
    modelsOf: (manufacturerCode) => [...models.values()].filter((m) => m.manufacturerCode === manufacturerCode).sort(byCode),
    stop: () => {
      stopFollowingReconnects();
      followers.forEach((f) => f.stop());
    },
  };
}
