/**
 * An ordered set of registrations whose page reads cost O(log n + count), whatever the offset.
 * Changes are queued and folded in on the next read: a few by binary-search splice (a memmove),
 * many at once (a watch catching up, an import) by one sort and merge, so loading n keys is O(n log n).
 */
const FOLD_ONE_BY_ONE = 256;

export class SortedKeys {
  private sorted: string[] = [];
  private readonly added = new Set<string>();
  private readonly removed = new Set<string>();

  /** Keys already in code-unit order and without repeats (a snapshot's): taken as they are, no sort. */
  static fromSorted(keys: string[]): SortedKeys {
    const built = new SortedKeys();
    built.sorted = keys;
    return built;
  }

  get size(): number {
    return this.sorted.length + this.added.size - this.removed.size;
  }

  has(key: string): boolean {
    if (this.added.has(key)) return true;
    if (this.removed.has(key)) return false;
    return this.position(key) >= 0;
  }

  add(key: string): void {
    if (this.removed.delete(key)) return;
    if (this.added.has(key) || this.position(key) >= 0) return;
    this.added.add(key);
  }

  remove(key: string): void {
    if (this.added.delete(key)) return;
    if (this.removed.has(key) || this.position(key) < 0) return;
    this.removed.add(key);
  }

  slice(index: number, count: number): string[] {
    this.fold();
    return this.sorted.slice(index, index + count);
  }

  /** Keys in order, for building a narrower index from this one. */
  keys(): readonly string[] {
    this.fold();
    return this.sorted;
  }

  private fold(): void {
    if (this.added.size === 0 && this.removed.size === 0) return;
    if (this.added.size + this.removed.size <= FOLD_ONE_BY_ONE) {
      for (const key of this.removed) this.sorted.splice(this.position(key), 1);
      for (const key of this.added) this.sorted.splice(insertionPoint(this.sorted, key), 0, key);
    } else {
      const kept = this.removed.size ? this.sorted.filter((k) => !this.removed.has(k)) : this.sorted;
      this.sorted = merge(kept, [...this.added].sort(compare));
    }
    this.added.clear();
    this.removed.clear();
  }

  /** Index in `sorted`, or -1. */
  private position(key: string): number {
    const at = insertionPoint(this.sorted, key);
    return this.sorted[at] === key ? at : -1;
  }
}

/** Code-unit order: registrations are A-Z and 0-9, so digits sort before letters ("A1" < "AA"). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function insertionPoint(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Two ordered lists as one. */
export function merge(a: readonly string[], b: readonly string[]): string[] {
  const out = new Array<string>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
