/**
 * Every stored vehicle in memory, ordered by registration, with one ordered index per filter value
 * (manufacturer, model, colour, year) and a small cache of indexes for combined filters. It follows the
 * bucket and nothing else: the watch (vehicle-watch.ts) applies every revision in order, and a list waits
 * until the watch has applied the bucket's last sequence, so it holds every acknowledged write.
 * Memory: each car is kept as a short JSON array of the fields a list shows (about 50 bytes).
 */
import { SortedKeys } from "./sorted-keys.ts";
import { isVisible, type StoredVehicle } from "./stored-vehicle.ts";

export interface VehicleFilter {
  manufacturer?: string;
  model?: string;
  color?: string;
  year?: number;
}

/** An index's contents as a snapshot holds them (index-snapshot.ts): columns, registrations in code-unit order. */
export interface IndexContents {
  keys: string[];
  revisions: ArrayLike<number>;
  /** Each key's packed summary (`entry.data`), as its position in `summaries`: many cars share one. */
  summaryOf: ArrayLike<number>;
  summaries: string[];
  /** Registrations being removed, hidden from reads; each also in `keys`. */
  removing: ReadonlySet<string>;
  /** Delete tombstones, none for a registration in `keys`. */
  deletedAt: ReadonlyMap<string, number>;
}

interface Entry {
  revision: number;
  /** The summary fields as a JSON array. */
  data: string;
}

/** What a list shows of a car. */
export type VehicleSummary = Pick<StoredVehicle, "registration" | "manufacturerCode" | "modelCode" | "modelName" | "color" | "year">;

function pack(v: StoredVehicle): string {
  return JSON.stringify([v.manufacturerCode, v.modelCode, v.modelName, v.color, v.year]);
}

function unpack(registration: string, data: string): VehicleSummary {
  const [manufacturerCode, modelCode, modelName, color, year] = JSON.parse(data) as [string, string, string, string, number];
  return { registration, manufacturerCode, modelCode, modelName, color, year };
}

const COMBINED_CACHE = 64;

function filterKeys(filter: VehicleFilter): string[] {
  const keys: string[] = [];
  if (filter.manufacturer !== undefined) keys.push(`manufacturer=${filter.manufacturer.toLowerCase()}`);
  if (filter.model !== undefined) keys.push(`model=${filter.model.toLowerCase()}`);
  if (filter.color !== undefined) keys.push(`color=${filter.color.toLowerCase()}`);
  if (filter.year !== undefined) keys.push(`year=${filter.year}`);
  return keys;
}

const vehicleKeys = (v: VehicleSummary) => filterKeys({ manufacturer: v.manufacturerCode, model: v.modelCode, color: v.color, year: v.year });

function matches(v: VehicleSummary, keys: string[]): boolean {
  const own = vehicleKeys(v);
  return keys.every((k) => own.includes(k));
}

export class VehicleIndex {
  private readonly entries = new Map<string, Entry>();
  /** Revision of each delete applied: an older revision applied late must not revive the car. */
  private readonly deletedAt = new Map<string, number>();
  private all = new SortedKeys();
  private readonly byValue = new Map<string, SortedKeys>();
  private readonly combined = new Map<string, SortedKeys>();
  /** Registrations being removed (hidden from every read). */
  private readonly removing = new Set<string>();

  get size(): number {
    return this.all.size;
  }

  /** Applies one KV revision of a key: a value, or undefined for a delete/purge. */
  apply(key: string, revision: number, after: StoredVehicle | undefined): void {
    const current = this.entries.get(key);
    if (current && current.revision >= revision) return;
    const deleted = this.deletedAt.get(key);
    if (deleted !== undefined) {
      if (deleted >= revision) return;
      this.deletedAt.delete(key);
    }
    const before = current ? unpack(key, current.data) : undefined;
    const wasVisible = current !== undefined && !this.removing.has(key);
    const isNowVisible = isVisible(after);
    if (after === undefined) {
      this.entries.delete(key);
      this.deletedAt.set(key, revision);
    } else this.entries.set(key, { revision, data: pack(after) });
    if (after?.removing) this.removing.add(key);
    else this.removing.delete(key);

    if (wasVisible && before) {
      for (const k of vehicleKeys(before)) this.byValue.get(k)?.remove(key);
      for (const [k, index] of this.combined) if (matches(before, k.split("&"))) index.remove(key);
    }
    if (isNowVisible) {
      for (const k of vehicleKeys(after!)) {
        let index = this.byValue.get(k);
        if (!index) this.byValue.set(k, (index = new SortedKeys()));
        index.add(key);
      }
      for (const [k, index] of this.combined) if (matches(after!, k.split("&"))) index.add(key);
    }
    if (isNowVisible) this.all.add(key);
    else if (wasVisible) this.all.remove(key);
  }

  /** Forgets every car: the bucket was made again, and its revisions start over. */
  clear(): void {
    for (const key of [...this.all.keys()]) this.all.remove(key);
    this.all.keys();
    this.entries.clear();
    this.deletedAt.clear();
    this.byValue.clear();
    this.combined.clear();
    this.removing.clear();
  }

  /** Folds every queued change into the ordered arrays (a loaded index then holds no per-key sets). */
  settle(): void {
    this.all.keys();
    for (const index of this.byValue.values()) index.keys();
  }

  /** The revision of a car a read may show; undefined when it is not stored or being removed. */
  revisionOf(key: string): number | undefined {
    return this.removing.has(key) ? undefined : this.entries.get(key)?.revision;
  }

  /** What a snapshot writes, live: read it within one turn of the event loop, or copy it. */
  state(): { entries: ReadonlyMap<string, Entry>; deletedAt: ReadonlyMap<string, number>; removing: ReadonlySet<string>; visible: SortedKeys } {
    return { entries: this.entries, deletedAt: this.deletedAt, removing: this.removing, visible: this.all };
  }

  /** Replaces everything with a snapshot's contents: already in order, so each ordered index is built in one pass, no sort. */
  restore(contents: IndexContents): void {
    this.clear();
    const { keys, revisions, summaryOf, summaries, removing } = contents;
    const visible: string[] = [];
    const byValue = new Map<string, string[]>();
    // Many cars share one summary: the lists its cars go in are looked up once.
    const listsOf = summaries.map((data) =>
      vehicleKeys(unpack("", data)).map((value) => {
        let list = byValue.get(value);
        if (!list) byValue.set(value, (list = []));
        return list;
      }),
    );
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      this.entries.set(key, { revision: revisions[i]!, data: summaries[summaryOf[i]!]! });
      if (removing.size && removing.has(key)) {
        this.removing.add(key);
        continue;
      }
      visible.push(key);
      for (const list of listsOf[summaryOf[i]!]!) list.push(key);
    }
    for (const [key, revision] of contents.deletedAt) this.deletedAt.set(key, revision);
    this.all = SortedKeys.fromSorted(visible);
    for (const [value, list] of byValue) if (list.length) this.byValue.set(value, SortedKeys.fromSorted(list));
  }

  get(key: string): VehicleSummary | undefined {
    const entry = this.entries.get(key);
    return entry && !this.removing.has(key) ? unpack(key, entry.data) : undefined;
  }

  /** One page in registration order; the cost depends on count, not on index. */
  page(filter: VehicleFilter, index: number, count: number): { total: number; items: VehicleSummary[] } {
    const keys = this.indexFor(filter);
    if (!keys) return { total: 0, items: [] };
    const items = keys.slice(index, count).map((k) => unpack(k, this.entries.get(k)!.data));
    return { total: keys.size, items };
  }

  private indexFor(filter: VehicleFilter): SortedKeys | undefined {
    const keys = filterKeys(filter);
    if (keys.length === 0) return this.all;
    if (keys.length === 1) return this.byValue.get(keys[0]!);
    const name = keys.join("&");
    const cached = this.combined.get(name);
    if (cached) {
      // Least recently used goes first: re-insert to mark as fresh.
      this.combined.delete(name);
      this.combined.set(name, cached);
      return cached;
    }
    const singles = keys.map((k) => this.byValue.get(k));
    if (singles.some((s) => !s)) return undefined;
    const smallest = (singles as SortedKeys[]).reduce((a, b) => (a.size <= b.size ? a : b));
    const built = new SortedKeys();
    for (const key of smallest.keys()) {
      if (matches(unpack(key, this.entries.get(key)!.data), keys)) built.add(key);
    }
    this.combined.set(name, built);
    if (this.combined.size > COMBINED_CACHE) this.combined.delete(this.combined.keys().next().value!);
    return built;
  }
}
