/**
 * The list index saved as text, so a restarted API loads it in about a second instead of reading the whole
 * bucket again (index-snapshot-file.ts writes and reads it). One line per record, tab-separated:
 *   {header JSON: format, version, stream, created, seq, tombstones, owed}
 *   <registration> <revision>                       one per delete tombstone
 *   <registration> <revision>                       one per registration owing an event (the outbox's)
 *   <registration> <revision> <"r" or ""> <summary> one per entry, in code-unit order; "r": being removed
 *   end <entries>
 * A registration is A-Z and 0-9 and a summary is JSON, which escapes tabs and newlines, so neither holds a separator.
 * The entries may be newer than `seq` (read while the watch went on): resuming at seq + 1 replays those
 * revisions, which the index ignores as already held; nothing older than `seq` is missing.
 */
import type { StreamInfo } from "@nats-io/jetstream";
import type { IndexContents } from "./vehicle-index.ts";

export const SNAPSHOT_FORMAT = "forecourt-vehicle-index";
export const SNAPSHOT_VERSION = 1;

export interface SnapshotHeader {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  /** The bucket's stream, and when it was made: a bucket made again starts its sequences over. */
  stream: string;
  created: string;
  /** Every revision up to this stream sequence is in the snapshot. */
  seq: number;
  tombstones: number;
  owed: number;
}

/** What a snapshot is written from: the header, and the index read entry by entry while it is written. */
export interface SnapshotSource {
  header: Pick<SnapshotHeader, "stream" | "created" | "seq">;
  tombstones: Iterable<readonly [string, number]>;
  owed: Iterable<readonly [string, number]>;
  /** Registrations in code-unit order. */
  keys: readonly string[];
  /** The entry as it is now; undefined when deleted since `keys` was taken. */
  entry(key: string): { revision: number; data: string; removing: boolean } | undefined;
}

export interface Snapshot {
  header: SnapshotHeader;
  contents: IndexContents;
  /** Registration → the revision that owed an event when the snapshot was taken. */
  owed: Map<string, number>;
}

export class SnapshotError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SnapshotError";
  }
}

const ENTRIES_PER_CHUNK = 20_000;

/** The snapshot's text in chunks: the writer yields to the event loop between them, so requests go on. */
export function* encodeSnapshot(source: SnapshotSource): Generator<string> {
  const tombstones = [...source.tombstones];
  const owed = [...source.owed];
  const header: SnapshotHeader = { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, ...source.header, tombstones: tombstones.length, owed: owed.length };
  yield [JSON.stringify(header), ...tombstones.map(([key, revision]) => `${key}\t${revision}`), ...owed.map(([key, revision]) => `${key}\t${revision}`), ""].join("\n");
  let written = 0;
  for (let from = 0; from < source.keys.length; from += ENTRIES_PER_CHUNK) {
    const lines: string[] = [];
    for (const key of source.keys.slice(from, from + ENTRIES_PER_CHUNK)) {
      const entry = source.entry(key);
      if (!entry) continue;
      lines.push(`${key}\t${entry.revision}\t${entry.removing ? "r" : ""}\t${entry.data}`);
    }
    written += lines.length;
    if (lines.length) yield lines.join("\n") + "\n";
  }
  yield `end\t${written}\n`;
}

function revisionOf(text: string, line: number): number {
  const revision = Number(text);
  if (!Number.isSafeInteger(revision) || revision <= 0) throw new SnapshotError(`line ${line + 1}: revision "${text}" is not a positive integer`);
  return revision;
}

function pairs(lines: string[], from: number, count: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = from; i < from + count; i++) {
    const [key, revision, extra] = lines[i]!.split("\t");
    if (!key || revision === undefined || extra !== undefined) throw new SnapshotError(`line ${i + 1}: expected a registration and a revision`);
    out.set(key, revisionOf(revision, i));
  }
  return out;
}

function readHeader(line: string): SnapshotHeader {
  let header: Partial<SnapshotHeader>;
  try {
    header = JSON.parse(line) as Partial<SnapshotHeader>;
  } catch (error) {
    throw new SnapshotError("the header is not JSON", { cause: error });
  }
  if (header?.format !== SNAPSHOT_FORMAT) throw new SnapshotError(`not a ${SNAPSHOT_FORMAT} snapshot`);
  if (header.version !== SNAPSHOT_VERSION) throw new SnapshotError(`version ${header.version}, this API reads version ${SNAPSHOT_VERSION}`);
  const counts = [header.seq, header.tombstones, header.owed];
  if (typeof header.stream !== "string" || typeof header.created !== "string" || !counts.every((n) => Number.isSafeInteger(n) && n! >= 0))
    throw new SnapshotError("the header lacks stream, created, seq or counts");
  return header as SnapshotHeader;
}

/** Reads a snapshot's text; a truncated, reordered or otherwise damaged one throws SnapshotError naming what is wrong. */
export function decodeSnapshot(text: string): Snapshot {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const header = readHeader(lines[0] ?? "");
  const first = 1 + header.tombstones + header.owed;
  const trailer = lines.at(-1)?.split("\t");
  if (lines.length < first + 1 || trailer?.[0] !== "end") throw new SnapshotError("the snapshot is cut short (no end line)");
  const deletedAt = pairs(lines, 1, header.tombstones);
  const owed = pairs(lines, 1 + header.tombstones, header.owed);
  const last = lines.length - 1;
  if (Number(trailer[1]) !== last - first) throw new SnapshotError(`the end line counts ${trailer[1]} entries, the snapshot holds ${last - first}`);

  const keys: string[] = [];
  const revisions: number[] = [];
  const data: string[] = [];
  const removing = new Set<string>();
  // Cars share summaries: one string per distinct summary instead of one per car.
  const shared = new Map<string, string>();
  let previous = "";
  for (let i = first; i < last; i++) {
    const line = lines[i]!;
    const a = line.indexOf("\t");
    const b = line.indexOf("\t", a + 1);
    const c = line.indexOf("\t", b + 1);
    if (a <= 0 || b < 0 || c < 0) throw new SnapshotError(`line ${i + 1}: expected registration, revision, flag and summary`);
    const key = line.slice(0, a);
    if (key <= previous) throw new SnapshotError(`line ${i + 1}: "${key}" is out of order`);
    previous = key;
    const revision = revisionOf(line.slice(a + 1, b), i);
    // A delete read before the entry, the entry written again after: the later of the two stands.
    const deleted = deletedAt.get(key);
    if (deleted !== undefined) {
      if (deleted >= revision) continue;
      deletedAt.delete(key);
    }
    let summary = line.slice(c + 1);
    const known = shared.get(summary);
    if (known === undefined) {
      if (!summary.startsWith("[") || !summary.endsWith("]")) throw new SnapshotError(`line ${i + 1}: the summary is not a JSON array`);
      shared.set(summary, summary);
    } else summary = known;
    keys.push(key);
    revisions.push(revision);
    data.push(summary);
    if (line.slice(b + 1, c) === "r") removing.add(key);
  }
  return { header, contents: { keys, revisions, data, removing, deletedAt }, owed };
}

/** Why the snapshot cannot be resumed on this stream (then the whole bucket is loaded), or undefined when it can. */
export function unusableReason(header: SnapshotHeader, stream: Pick<StreamInfo, "config" | "created" | "state">): string | undefined {
  if (header.stream !== stream.config.name) return `it is of stream ${header.stream}, not ${stream.config.name}`;
  if (header.created !== stream.created) return `the bucket was made again since (stream created ${stream.created}, snapshot of ${header.created})`;
  if (header.seq > stream.state.last_seq) return `it is ahead of the bucket (snapshot at ${header.seq}, last sequence ${stream.state.last_seq})`;
  // Everything up to the snapshot is gone from the stream: superseded or purged, which the stream cannot tell apart.
  if (header.seq > 0 && stream.state.first_seq > header.seq)
    return `it is older than anything the bucket holds (snapshot at ${header.seq}, first sequence ${stream.state.first_seq})`;
  return undefined;
}
