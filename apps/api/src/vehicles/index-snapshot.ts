/**
 * The list index saved as text, so a restarted API loads it in about a second instead of reading the whole
 * bucket again (index-snapshot-file.ts writes and reads it). One line per record, tab-separated:
 *   {header JSON: format, version, stream, created, seq, tombstones, owed}
 *   <registration> <revision>                 one per delete tombstone
 *   <registration> <revision>                 one per registration owing an event (the outbox's)
 *   <registration> <revision> <summary> [r]   one per entry, in code-unit order; <summary>: its line number
 *                                             among the summaries below; "r": being removed
 *   <summary JSON>                            one per distinct summary (cars share them: a few thousand)
 *   end <entries> <summaries>
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
export function* encodeSnapshot(source: SnapshotSource, entriesPerChunk = ENTRIES_PER_CHUNK): Generator<string> {
  const tombstones = [...source.tombstones];
  const owed = [...source.owed];
  const header: SnapshotHeader = { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, ...source.header, tombstones: tombstones.length, owed: owed.length };
  yield [JSON.stringify(header), ...tombstones.map(([key, revision]) => `${key}\t${revision}`), ...owed.map(([key, revision]) => `${key}\t${revision}`), ""].join("\n");
  const summaries = new Map<string, number>();
  let written = 0;
  for (let from = 0; from < source.keys.length; from += entriesPerChunk) {
    const lines: string[] = [];
    for (const key of source.keys.slice(from, from + entriesPerChunk)) {
      const entry = source.entry(key);
      if (!entry) continue;
      let summary = summaries.get(entry.data);
      if (summary === undefined) summaries.set(entry.data, (summary = summaries.size));
      lines.push(entry.removing ? `${key}\t${entry.revision}\t${summary}\tr` : `${key}\t${entry.revision}\t${summary}`);
    }
    written += lines.length;
    if (lines.length) yield lines.join("\n") + "\n";
  }
  yield [...summaries.keys(), `end\t${written}\t${summaries.size}`, ""].join("\n");
}

/** A decimal integer of at least `min`, read without allocating a substring: a million of them are read at every start. */
function integerAt(text: string, from: number, to: number, line: number, min = 1): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) throw new SnapshotError(`line ${line}: "${text.slice(from, to)}" is not an integer of at least ${min}`);
    n = n * 10 + digit;
  }
  if (from === to || n < min || !Number.isSafeInteger(n)) throw new SnapshotError(`line ${line}: "${text.slice(from, to)}" is not an integer of at least ${min}`);
  return n;
}

function pairs(lines: string[], from: number): Map<string, number> {
  const out = new Map<string, number>();
  lines.forEach((line, i) => {
    const tab = line.indexOf("\t");
    if (tab <= 0 || line.includes("\t", tab + 1)) throw new SnapshotError(`line ${from + i + 1}: expected a registration and a revision`);
    out.set(line.slice(0, tab), integerAt(line, tab + 1, line.length, from + i + 1));
  });
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

/** The next `count` lines from `at`, and where the line after them starts. */
function linesFrom(text: string, at: number, count: number): { lines: string[]; next: number } {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const end = text.indexOf("\n", at);
    if (end < 0) throw new SnapshotError("the snapshot is cut short");
    lines.push(text.slice(at, end));
    at = end + 1;
  }
  return { lines, next: at };
}

/**
 * Reads a snapshot's text; a truncated, reordered or otherwise damaged one throws SnapshotError naming what is
 * wrong. Entries are read in place (no line strings), as this runs for every car at every start.
 */
export function decodeSnapshot(text: string): Snapshot {
  const headerEnd = text.indexOf("\n");
  const header = readHeader(headerEnd < 0 ? text : text.slice(0, headerEnd));
  if (!text.endsWith("\n")) throw new SnapshotError("the snapshot is cut short (no end line)");
  const trailerStart = text.lastIndexOf("\n", text.length - 2) + 1;
  const trailer = text.slice(trailerStart, -1).split("\t");
  if (trailer[0] !== "end" || trailer.length !== 3) throw new SnapshotError("the snapshot is cut short (no end line)");
  const [entryCount, summaryCount] = [Number(trailer[1]), Number(trailer[2])];
  if (!Number.isSafeInteger(entryCount) || !Number.isSafeInteger(summaryCount)) throw new SnapshotError("the end line's counts are not integers");

  const tombstoneLines = linesFrom(text, headerEnd + 1, header.tombstones);
  const owedLines = linesFrom(text, tombstoneLines.next, header.owed);
  const deletedAt = pairs(tombstoneLines.lines, 1);
  const owed = pairs(owedLines.lines, 1 + header.tombstones);
  const firstLine = 1 + header.tombstones + header.owed;

  // The summaries are the lines just before the end line.
  let summariesStart = trailerStart;
  for (let i = 0; i < summaryCount; i++) {
    if (summariesStart <= owedLines.next) throw new SnapshotError(`the end line counts ${summaryCount} summaries, the snapshot holds fewer`);
    summariesStart = text.lastIndexOf("\n", summariesStart - 2) + 1;
  }
  const summaries = summaryCount ? text.slice(summariesStart, trailerStart - 1).split("\n") : [];
  for (const summary of summaries) if (!summary.startsWith("[") || !summary.endsWith("]")) throw new SnapshotError(`summary "${summary.slice(0, 40)}" is not a JSON array`);

  const keys: string[] = [];
  const revisions = new Float64Array(entryCount);
  const summaryOf = new Uint32Array(entryCount);
  const removing = new Set<string>();
  let previous = "";
  let at = owedLines.next;
  let line = firstLine;
  for (; at < summariesStart; line++) {
    const end = text.indexOf("\n", at);
    const a = text.indexOf("\t", at);
    const b = text.indexOf("\t", a + 1);
    if (a <= at || a > end || b < 0 || b >= end) throw new SnapshotError(`line ${line + 1}: expected registration, revision and summary`);
    const c = text.indexOf("\t", b + 1);
    const flagged = c >= 0 && c < end;
    if (flagged && text.slice(c + 1, end) !== "r") throw new SnapshotError(`line ${line + 1}: unknown flag "${text.slice(c + 1, end)}"`);
    const key = text.slice(at, a);
    if (key <= previous) throw new SnapshotError(`line ${line + 1}: "${key}" is out of order`);
    previous = key;
    const revision = integerAt(text, a + 1, b, line + 1);
    const summary = integerAt(text, b + 1, flagged ? c : end, line + 1, 0);
    if (summary >= summaries.length) throw new SnapshotError(`line ${line + 1}: summary ${summary} is not among the ${summaries.length}`);
    at = end + 1;
    if (line - firstLine >= entryCount) throw new SnapshotError(`the end line counts ${entryCount} entries, the snapshot holds more`);
    // A delete read before the entry, the entry written again after: the later of the two stands.
    const deleted = deletedAt.get(key);
    if (deleted !== undefined) {
      if (deleted >= revision) continue;
      deletedAt.delete(key);
    }
    revisions[keys.length] = revision;
    summaryOf[keys.length] = summary;
    keys.push(key);
    if (flagged) removing.add(key);
  }
  if (line - firstLine !== entryCount) throw new SnapshotError(`the end line counts ${entryCount} entries, the snapshot holds ${line - firstLine}`);
  return { header, contents: { keys, revisions, summaryOf, summaries, removing, deletedAt }, owed };
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
