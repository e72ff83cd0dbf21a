/**
 * The list index's snapshot file (API_SNAPSHOT_PATH): loaded at start, so the watch only reads the revisions
 * after it; written now and then while running and once at a graceful stop. Each instance keeps its own file
 * (no NATS bucket, no extra permissions); a missing, damaged, old-format or stale one only costs the full load.
 * Written to a temporary file, then renamed over the old one, so a reader never sees half a snapshot.
 */
import { BUCKETS } from "@forecourt/shared/contracts";
import type { Logger } from "@forecourt/shared/platform";
import type { KV } from "@nats-io/kv";
import { mkdir, open, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { decodeSnapshot, encodeSnapshot, SnapshotError, unusableReason, type SnapshotSource } from "./index-snapshot.ts";
import { compare, merge } from "./sorted-keys.ts";
import type { Outbox } from "./outbox.ts";
import { readVehicle } from "./vehicle-codec.ts";
import type { IndexStart, VehicleWatch } from "./vehicle-watch.ts";

export const SNAPSHOT_INTERVAL_MS = 60_000;

export interface IndexSnapshotsDeps {
  path: string;
  kv: KV;
  log: Logger;
  /** Whose owed events a snapshot keeps, and who hears of those still owed after a restore. */
  outbox: Pick<Outbox, "observe" | "owedRevisions">;
}

export interface IndexSnapshots {
  /** For watchVehicles: fills the index from the file, or answers undefined (then the whole bucket is read). */
  restore: IndexStart;
  /** Writes whenever the index has moved on, every `intervalMs` (the first soon after start), and at stop. */
  start(watch: VehicleWatch, intervalMs?: number): { stop(): Promise<void> };
  /** One snapshot now, unless the file already holds this position; the number of entries written. */
  write(watch: VehicleWatch): Promise<number | undefined>;
}

const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Temporary files a process left when it died (or hit the shutdown limit) mid-write. */
async function removeLeftovers(path: string): Promise<void> {
  const prefix = `${basename(path)}.`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  for (const name of names) {
    const pid = name.startsWith(prefix) && name.endsWith(".tmp") ? Number(name.slice(prefix.length, -".tmp".length)) : 0;
    if (pid && pid !== process.pid && !isRunning(pid)) await rm(join(dirname(path), name), { force: true });
  }
}

async function writeAtomically(path: string, chunks: Iterable<string>): Promise<number> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const file = await open(temporary, "w", 0o600);
  let bytes = 0;
  try {
    for (const chunk of chunks) {
      bytes += (await file.write(chunk)).bytesWritten;
      await yieldToRequests();
    }
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await file.close();
  await rename(temporary, path);
  return bytes;
}

export function indexSnapshots({ path, kv, log, outbox }: IndexSnapshotsDeps): IndexSnapshots {
  let saved = { seq: -1, created: "" };
  let writing: Promise<number | undefined> | undefined;

  /** Taken in one turn of the event loop: the header's sequence, the order of keys and the small sets agree. */
  const capture = (watch: VehicleWatch): SnapshotSource => {
    const { seq, created } = watch.position();
    const { entries, deletedAt, removing, visible } = watch.index.state();
    // A copy: folding later changes splices the live array.
    const keys = merge(visible.keys(), [...removing].sort(compare));
    return {
      header: { stream: `KV_${BUCKETS.vehicles}`, created, seq },
      tombstones: [...deletedAt],
      owed: outbox.owedRevisions(),
      keys,
      entry(key) {
        const entry = entries.get(key);
        return entry && { revision: entry.revision, data: entry.data, removing: removing.has(key) };
      },
    };
  };

  const writeOnce = async (watch: VehicleWatch): Promise<number | undefined> => {
    const { seq, created, loaded } = watch.position();
    if (!loaded || (seq === saved.seq && created === saved.created)) return undefined;
    const started = performance.now();
    const source = capture(watch);
    const bytes = await writeAtomically(path, encodeSnapshot(source));
    saved = { seq, created };
    log.info("vehicle index snapshot written", { path, entries: source.keys.length, seq, bytes, durationMs: Math.round(performance.now() - started) });
    return source.keys.length;
  };

  const write = (watch: VehicleWatch) => {
    // One at a time: a stop waits for the periodic write in progress, then writes what came since.
    writing = (writing ?? Promise.resolve(undefined)).catch(() => undefined).then(() => writeOnce(watch));
    return writing;
  };

  const restore: IndexStart = async (index, stream) => {
    const started = performance.now();
    await removeLeftovers(path);
    let text: string;
    try {
      text = await Bun.file(path).text();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") log.info("no vehicle index snapshot yet; loading the whole bucket", { path });
      else log.warn("vehicle index snapshot unreadable; loading the whole bucket", { path, error });
      return undefined;
    }
    let snapshot;
    try {
      snapshot = decodeSnapshot(text);
      const reason = unusableReason(snapshot.header, stream);
      if (reason) throw new SnapshotError(reason);
      index.restore(snapshot.contents);
    } catch (error) {
      // Anything wrong with the file only costs the full load.
      index.clear();
      log.warn("vehicle index snapshot not used; loading the whole bucket", { path, reason: error instanceof SnapshotError ? error.message : String(error) });
      return undefined;
    }
    // The outbox must hear of markers still in the bucket: read each (few) as it is now.
    for (const key of snapshot.owed.keys()) {
      const current = await readVehicle(kv, key);
      if (current?.vehicle.pending) outbox.observe(key, current.revision, current.vehicle);
    }
    saved = { seq: snapshot.header.seq, created: snapshot.header.created };
    log.info("vehicle index restored from snapshot", { path, entries: snapshot.contents.keys.length, seq: snapshot.header.seq, durationMs: Math.round(performance.now() - started) });
    return snapshot.header.seq;
  };

  return {
    restore,
    write,
    start(watch, intervalMs = SNAPSHOT_INTERVAL_MS) {
      const tick = () => write(watch).catch((error) => log.warn("vehicle index snapshot not written", { path, error }));
      const first = setTimeout(tick, Math.min(intervalMs, 1_000));
      const timer = setInterval(tick, intervalMs);
      return {
        async stop() {
          clearTimeout(first);
          clearInterval(timer);
          await tick();
        },
      };
    },
  };
}
