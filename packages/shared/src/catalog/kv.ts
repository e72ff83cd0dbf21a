/**
 * The catalog in JetStream key-value buckets (catalog-manufacturers, catalog-models): seeded idempotently,
 * read through an in-memory view that a KV watch keeps current, so every app sees one catalog.
 */
import type { JetStreamClient } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import { BUCKETS } from "../contracts/subjects.ts";
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

/** Loads both buckets and keeps following them; resolves once the current contents are in memory. */
export async function openCatalogView(js: JetStreamClient): Promise<CatalogView> {
  const buckets = await openCatalogBuckets(js);
  const manufacturers = new Map<string, Manufacturer>();
  const models = new Map<string, CarModel>();
  let sortedManufacturers: Manufacturer[] | undefined;
  let sortedModels: CarModel[] | undefined;

  const follow = async <T>(kv: KV, into: Map<string, T>, changed: () => void) => {
    let initialised!: () => void;
    const ready = new Promise<void>((resolve) => (initialised = resolve));
    // The watch marks the last entry of its initial snapshot (and every later one) as an update; an empty bucket has none.
    if ((await kv.status()).values === 0) initialised();
    const watch = await kv.watch({ key: ">" });
    void (async () => {
      for await (const entry of watch) {
        if (entry.operation === "PUT") into.set(entry.key, JSON.parse(decoder.decode(entry.value)) as T);
        else into.delete(entry.key);
        changed();
        if (entry.isUpdate) initialised();
      }
    })();
    await ready;
    return watch;
  };
  const watches = await Promise.all([
    follow(buckets.manufacturers, manufacturers, () => (sortedManufacturers = undefined)),
    follow(buckets.models, models, () => (sortedModels = undefined)),
  ]);
  const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

  return {
    manufacturer: (code) => manufacturers.get(code),
    model: (code) => models.get(code),
    manufacturers: () => (sortedManufacturers ??= [...manufacturers.values()].sort(byCode)),
    models: () => (sortedModels ??= [...models.values()].sort(byCode)),
    modelsOf: (manufacturerCode) => [...models.values()].filter((m) => m.manufacturerCode === manufacturerCode).sort(byCode),
    stop: () => watches.forEach((w) => w.stop()),
  };
}
