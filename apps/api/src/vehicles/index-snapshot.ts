/**
 * The list index saved to a file, so a restarted API loads it and then reads from the bucket only what changed
 * since: for a million cars, seconds instead of replaying the whole bucket. The file is versioned and tied to one
 * incarnation of the bucket's stream (its creation time) and to the stream sequence it was taken at; a file that
 * does not match (another format, a bucket made again, a sequence the stream never reached, a torn write) is
 * ignored and the index loaded from the bucket as before. Reads stay as consistent as ever: a list still waits
 * until the index has applied the bucket's last sequence.
 *
 * Layout, one record per line (registrations hold no tabs; JSON escapes its own control characters):
 *   {"format","version","streamCreated","seq","entries","deleted","owing"}     the header
 *   <key>\t<revision>\t<"r" when being removed, else "">\t<summary JSON>      one per stored car, listed ones in order
 *   <key>\t<revision>                                                          one per delete or purge marker
 *   <key>\t<revision>\t<stored vehicle JSON>                                   one per car that owes an event
 */
import { closeSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { StoredVehicle } from "./stored-vehicle.ts";
import type { VehicleIndex } from "./vehicle-index.ts";

export const SNAPSHOT_FORMAT = "forecourt-vehicle-index";
export const SNAPSHOT_VERSION = 1;

/** Cars whose latest revision holds an event still owed (the outbox's markers), by registration. */
export type Owing = Map<string, { revision: number; vehicle: StoredVehicle }>;

interface Header {
  format: string;
  version: number;
  streamCreated: string;
  seq: number;
  entries: number;
  deleted: number;
  owing: number;
}

export interface SnapshotState {
  /** The bucket stream's creation time: a bucket made again starts its sequences over. */
  streamCreated: string;
  /** The last stream sequence the index has applied. */
  seq: number;
  index: VehicleIndex;
  owing: Owing;
}

/** Records per piece of the file: a million cars never sit in memory as one string. */
const RECORDS_PER_PIECE = 10_000;

/** The file's text in pieces, the header first. Consume it without awaiting in between, so it captures the index exactly at `seq`. */
export function* encodeSnapshot({ streamCreated, seq, index, owing }: SnapshotState): Generator<string> {
  const header: Header = { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, streamCreated, seq, entries: index.savedCount, deleted: index.deletedCount, owing: owing.size };
  yield `${JSON.stringify(header)}\n`;
  let piece = "";
  let records = 0;
  const add = (line: string) => {
    piece += `${line}\n`;
    if (++records % RECORDS_PER_PIECE !== 0) return undefined;
    const full = piece;
    piece = "";
    return full;
  };
  for (const [key, revision, data, removing] of index.savedEntries()) {
    const full = add(`${key}\t${revision}\t${removing ? "r" : ""}\t${data}`);
    if (full) yield full;
  }
  for (const [key, revision] of index.savedDeletes()) {
    const full = add(`${key}\t${revision}`);
    if (full) yield full;
  }
  for (const [key, { revision, vehicle }] of owing) {
    const full = add(`${key}\t${revision}\t${JSON.stringify(vehicle)}`);
    if (full) yield full;
  }
  if (piece) yield piece;
}

export type RestoreResult = { seq: number; owing: Owing } | { refused: string };

/**
 * Fills an empty index from a snapshot's text, if it belongs to this bucket (`streamCreated`) and to a sequence
 * the stream has reached (`lastSeq`). On refusal the index may hold part of the file: clear it.
 */
export function restoreSnapshot(text: string, index: VehicleIndex, bucket: { streamCreated: string; lastSeq: number }): RestoreResult {
  const lines = text.split("\n");
  let header: Header;
  try {
    header = JSON.parse(lines[0]!) as Header;
  } catch {
    return { refused: "its header is not JSON" };
  }
  if (header.format !== SNAPSHOT_FORMAT || header.version !== SNAPSHOT_VERSION) return { refused: `format ${header.format} version ${header.version}, not ${SNAPSHOT_FORMAT} ${SNAPSHOT_VERSION}` };
  if (header.streamCreated !== bucket.streamCreated) return { refused: `taken from a bucket created ${header.streamCreated}; this one was created ${bucket.streamCreated}` };
  if (!(header.seq <= bucket.lastSeq)) return { refused: `taken at sequence ${header.seq}, beyond the bucket's last (${bucket.lastSeq})` };
  const records = header.entries + header.deleted + header.owing;
  // Every record, then the final empty line: anything else is a torn or edited file.
  if (lines.length !== records + 2 || lines.at(-1) !== "") return { refused: `it holds ${lines.length - 2} records, its header says ${records}` };
  const owing: Owing = new Map();
  try {
    let at = 1;
    const entriesEnd = at + header.entries;
    index.restore((add) => {
      for (; at < entriesEnd; at++) {
        const line = lines[at]!;
        const keyEnd = line.indexOf("\t");
        const revisionEnd = line.indexOf("\t", keyEnd + 1);
        const flagEnd = line.indexOf("\t", revisionEnd + 1);
        if (keyEnd < 1 || revisionEnd < 0 || flagEnd < 0) throw new Error(`line ${at + 1} is not a car`);
        add(line.slice(0, keyEnd), Number(line.slice(keyEnd + 1, revisionEnd)), line.slice(flagEnd + 1), flagEnd > revisionEnd + 1);
      }
    });
    for (const end = at + header.deleted; at < end; at++) {
      const [key, revision] = lines[at]!.split("\t");
      index.restoreDelete(key!, Number(revision));
    }
    for (const end = at + header.owing; at < end; at++) {
      const line = lines[at]!;
      const [key, revision] = line.split("\t", 2);
      owing.set(key!, { revision: Number(revision), vehicle: JSON.parse(line.slice(key!.length + revision!.length + 2)) as StoredVehicle });
    }
  } catch (error) {
    return { refused: `a record cannot be read: ${(error as Error).message}` };
  }
  return { seq: header.seq, owing };
}

let writes = 0;

/**
 * Writes the pieces beside the file, blocking (so the index cannot change meanwhile), and renames the result into
 * place: a reader (another instance, a restart) never sees half of one, and each write has a file of its own.
 */
export function writeSnapshotFile(path: string, pieces: Iterable<string>): void {
  const partial = `${path}.${process.pid}.${++writes}.partial`;
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(partial, "w");
  try {
    let written = 0;
    for (const piece of pieces) {
      writeSync(fd, piece);
      // Each piece is garbage once written: collecting as they pile up keeps a save from growing the heap by the file's size.
      if (++written % 10 === 0) Bun.gc(false);
    }
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
}
