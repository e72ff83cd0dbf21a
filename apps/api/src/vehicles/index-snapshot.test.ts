import { describe, expect, test } from "bun:test";
import { decodeSnapshot, encodeSnapshot, SNAPSHOT_VERSION, SnapshotError, unusableReason, type SnapshotSource } from "./index-snapshot.ts";
import { merge } from "./sorted-keys.ts";
import type { StoredVehicle } from "./stored-vehicle.ts";
import { VehicleIndex, type VehicleFilter } from "./vehicle-index.ts";

function vehicle(registration: string, i: number, extra: Partial<StoredVehicle> = {}): StoredVehicle {
  const [manufacturerCode, modelCode] = i % 3 === 0 ? ["ford", "ford-fiesta"] : ["volkswagen", "volkswagen-golf"];
  return { registration, manufacturerCode, manufacturerName: manufacturerCode, modelCode, modelName: modelCode, color: i % 2 ? "Red" : "Blue", year: 2010 + (i % 4), listedAt: "2026-01-01T00:00:00.000Z", ...extra };
}

/** An index built revision by revision, as the watch builds it: cars, updates, deletes, a removal in progress. */
function applied(): VehicleIndex {
  const index = new VehicleIndex();
  let revision = 0;
  for (let i = 0; i < 300; i++) index.apply(`R${String(i).padStart(3, "0")}`, ++revision, vehicle(`R${i}`, i));
  for (let i = 0; i < 300; i += 7) index.apply(`R${String(i).padStart(3, "0")}`, ++revision, vehicle(`R${i}`, i + 1));
  for (let i = 0; i < 300; i += 11) index.apply(`R${String(i).padStart(3, "0")}`, ++revision, undefined);
  index.apply("R001", ++revision, vehicle("R001", 1, { removing: true }));
  return index;
}

/** What the API writes: the index's own state, read as index-snapshot-file.ts reads it. */
function sourceOf(index: VehicleIndex, seq: number, owed: [string, number][] = []): SnapshotSource {
  const { entries, deletedAt, removing, visible } = index.state();
  return {
    header: { stream: "KV_vehicles", created: "2026-11-28T20:00:00Z", seq },
    tombstones: deletedAt,
    owed,
    keys: merge(visible.keys(), [...removing].sort()),
    entry: (key) => {
      const entry = entries.get(key);
      return entry && { ...entry, removing: removing.has(key) };
    },
  };
}

const FILTERS: VehicleFilter[] = [{}, { manufacturer: "ford" }, { model: "volkswagen-golf" }, { color: "red" }, { year: 2012 }, { manufacturer: "ford", color: "blue" }];

function restored(text: string): VehicleIndex {
  const index = new VehicleIndex();
  index.restore(decodeSnapshot(text).contents);
  return index;
}

describe("snapshot round trip", () => {
  test("a restored index answers every list, filter and single read as the index it was written from", () => {
    const original = applied();
    const copy = restored([...encodeSnapshot(sourceOf(original, 400))].join(""));
    expect(copy.size).toBe(original.size);
    for (const filter of FILTERS) expect(copy.page(filter, 3, 50)).toEqual(original.page(filter, 3, 50));
    expect(copy.get("R001")).toBeUndefined();
    expect(copy.get("R000")).toBeUndefined();
    expect(copy.get("R007")).toEqual(original.get("R007"));
  });

  test("tombstones survive: a revision older than the delete does not bring the car back, a newer one does", () => {
    const copy = restored([...encodeSnapshot(sourceOf(applied(), 400))].join(""));
    copy.apply("R011", 5, vehicle("R011", 11));
    expect(copy.get("R011")).toBeUndefined();
    copy.apply("R011", 500, vehicle("R011", 11));
    expect(copy.get("R011")?.registration).toBe("R011");
  });

  test("a car being removed stays hidden, and its settling delete leaves the index as the original's", () => {
    const original = applied();
    const copy = restored([...encodeSnapshot(sourceOf(original, 400))].join(""));
    for (const index of [original, copy]) index.apply("R001", 401, undefined);
    expect(copy.page({ color: "red" }, 0, 300)).toEqual(original.page({ color: "red" }, 0, 300));
  });

  test("revisions replayed after the snapshot apply on top of it, older ones are ignored", () => {
    const original = applied();
    const copy = restored([...encodeSnapshot(sourceOf(original, 400))].join(""));
    copy.apply("R002", 1, vehicle("R002", 0));
    expect(copy.get("R002")?.manufacturerCode).toBe("volkswagen");
    copy.apply("R002", 401, vehicle("R002", 0));
    expect(copy.get("R002")?.manufacturerCode).toBe("ford");
    expect(copy.page({ manufacturer: "ford" }, 0, 300).items.map((v) => v.registration)).toContain("R002");
  });

  test("a snapshot written while the index goes on changing, once the revisions after its sequence are replayed, equals the live index", () => {
    const live = applied();
    const seq = 400;
    const source = sourceOf(live, seq);
    // Changes the watch applies between two chunks: updates, deletes, a new car, a removal settling.
    const later: [string, number, StoredVehicle | undefined][] = [];
    let revision = seq;
    const change = (key: string, vehicle: StoredVehicle | undefined) => {
      later.push([key, ++revision, vehicle]);
      live.apply(key, revision, vehicle);
    };
    const chunks: string[] = [];
    for (const chunk of encodeSnapshot(source, 40)) {
      chunks.push(chunk);
      change(`R${String(chunks.length * 37).padStart(3, "0")}`, vehicle("x", chunks.length + 1));
      change(`R${String(chunks.length * 41 + 3).padStart(3, "0")}`, undefined);
      change(`N${chunks.length}`, vehicle("x", chunks.length));
    }
    change("R001", undefined);
    const copy = restored(chunks.join(""));
    for (const [key, rev, value] of later) copy.apply(key, rev, value);
    expect(copy.size).toBe(live.size);
    for (const filter of FILTERS) expect(copy.page(filter, 0, 400)).toEqual(live.page(filter, 0, 400));
  });

  test("header and owed events read back as written", () => {
    const snapshot = decodeSnapshot([...encodeSnapshot(sourceOf(applied(), 400, [["R005", 12]]))].join(""));
    expect(snapshot.header).toMatchObject({ version: SNAPSHOT_VERSION, stream: "KV_vehicles", seq: 400 });
    expect([...snapshot.owed]).toEqual([["R005", 12]]);
  });

  test("an entry deleted while the snapshot was being written is left out, and the end line counts what was written", () => {
    const source = sourceOf(applied(), 400);
    const entry = source.entry;
    source.entry = (key) => (key === "R003" ? undefined : entry(key));
    const copy = restored([...encodeSnapshot(source)].join(""));
    expect(copy.get("R003")).toBeUndefined();
    expect(copy.size).toBe(applied().size - 1);
  });

  test("an entry written again after a tombstone read earlier wins over it; an older one does not", () => {
    const text = [...encodeSnapshot({ ...sourceOf(new VehicleIndex(), 10), tombstones: [["A1", 5], ["B2", 9]], keys: ["A1", "B2"], entry: (key) => ({ revision: 7, data: '["ford","ford-fiesta","Fiesta","Red",2019]', removing: false }) })].join("");
    const snapshot = decodeSnapshot(text);
    expect(snapshot.contents.keys).toEqual(["A1"]);
    expect(snapshot.contents.summaries).toEqual(['["ford","ford-fiesta","Fiesta","Red",2019]']);
    expect([...snapshot.contents.deletedAt]).toEqual([["B2", 9]]);
  });
});

describe("damaged snapshots are refused with a reason", () => {
  const good = () => [...encodeSnapshot(sourceOf(applied(), 400))].join("");
  const refusal = (text: string) => {
    try {
      decodeSnapshot(text);
    } catch (error) {
      expect(error).toBeInstanceOf(SnapshotError);
      return (error as Error).message;
    }
    throw new Error("decoded a damaged snapshot");
  };

  test("cut short", () => expect(refusal(good().slice(0, good().length / 2))).toContain("cut short"));
  test("empty", () => expect(refusal("")).toContain("not JSON"));
  test("another version", () => expect(refusal(good().replace(`"version":${SNAPSHOT_VERSION}`, '"version":0'))).toContain("version 0"));
  test("lines out of order", () => {
    const lines = good().split("\n");
    const at = lines.findIndex((l) => l.startsWith("R004"));
    [lines[at], lines[at + 1]] = [lines[at + 1]!, lines[at]!];
    expect(refusal(lines.join("\n"))).toContain("out of order");
  });
  test("a line missing", () => {
    const lines = good().split("\n");
    lines.splice(lines.findIndex((l) => l.startsWith("R004")), 1);
    expect(refusal(lines.join("\n"))).toContain("end line counts");
  });
  test("a garbled revision", () => expect(refusal(good().replace(/^(R004)\t\d+/m, "$1\tx"))).toContain('"x" is not an integer'));
  test("a summary that is not there", () => expect(refusal(good().replace(/^(R004\t\d+)\t\d+/m, "$1\t999"))).toContain("summary 999"));
  test("a summary line lost", () => {
    const lines = good().split("\n");
    lines.splice(-3, 1);
    expect(refusal(lines.join("\n"))).toContain("summar");
  });
});

describe("a snapshot resumes only the stream it was taken of", () => {
  const header = decodeSnapshot([...encodeSnapshot(sourceOf(applied(), 400))].join("")).header;
  const stream = (created: string, first_seq: number, last_seq: number) => ({ config: { name: "KV_vehicles" }, created, state: { first_seq, last_seq } }) as Parameters<typeof unusableReason>[1];

  test("the same stream, moved on or not", () => {
    expect(unusableReason(header, stream(header.created, 1, 400))).toBeUndefined();
    expect(unusableReason(header, stream(header.created, 350, 900))).toBeUndefined();
  });
  test("the bucket made again", () => expect(unusableReason(header, stream("2026-11-29T00:00:00Z", 1, 900))).toContain("made again"));
  test("a stream behind the snapshot", () => expect(unusableReason(header, stream(header.created, 1, 399))).toContain("ahead"));
  test("everything up to the snapshot gone from the stream", () => expect(unusableReason(header, stream(header.created, 401, 900))).toContain("older"));
});
