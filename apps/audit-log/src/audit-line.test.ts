import { expect, test } from "bun:test";
import { auditLine, formatAuditLine, parseAuditSequence, readAuditTail } from "./audit-line.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const line = (seq: number) => formatAuditLine(auditLine({ seq, subject: "forecourt.vehicles.listed.ford.ford-fiesta.local", data: bytes(`{"registration":"R${seq}"}`), publishedAt: new Date(0) }, new Date(0)));

test("an audit line records sequence, subject, kind, registration, trace and body", () => {
  const entry = auditLine(
    { seq: 7, subject: "forecourt.vehicles.priced.ford.ford-fiesta.local", data: bytes('{"registration":"AB12CDE","price":7450}'), traceId: "0af7651916cd43dd8448eb211c80319c", publishedAt: new Date("2026-11-28T10:00:00Z") },
    new Date("2026-11-28T10:00:01Z"),
  );
  expect(entry).toEqual({
    seq: 7,
    subject: "forecourt.vehicles.priced.ford.ford-fiesta.local",
    kind: "priced",
    registration: "AB12CDE",
    traceId: "0af7651916cd43dd8448eb211c80319c",
    publishedAt: "2026-11-28T10:00:00.000Z",
    recordedAt: "2026-11-28T10:00:01.000Z",
    event: { registration: "AB12CDE", price: 7450 },
  });
  expect(formatAuditLine(entry).endsWith("}\n")).toBe(true);
  expect(formatAuditLine(entry).indexOf("\n")).toBe(formatAuditLine(entry).length - 1);
});

test("a body that is not JSON is kept raw rather than dropped", () => {
  const entry = auditLine({ seq: 3, subject: "forecourt.vehicles.listed.x.y.local", data: bytes("{not json"), publishedAt: new Date(0) }, new Date(0));
  expect(entry.raw).toBe("{not json");
  expect(entry.event).toBeUndefined();
});

test("only complete audit lines yield a sequence", () => {
  expect(parseAuditSequence(line(12).trim())).toBe(12);
  expect(parseAuditSequence('{"seq":1')).toBeUndefined();
  expect(parseAuditSequence('{"seq":"1"}')).toBeUndefined();
  expect(parseAuditSequence("\0\0\0")).toBeUndefined();
});

test("an empty file resumes from the start", () => {
  expect(readAuditTail(bytes(""), true)).toEqual({ lastSequence: 0, tornBytes: 0, found: true });
});

test("a clean file resumes after its last line", () => {
  expect(readAuditTail(bytes(line(1) + line(2) + line(3)), true)).toEqual({ lastSequence: 3, tornBytes: 0, found: true });
});

test("a torn last line is cut off and its event written again", () => {
  const torn = line(4).slice(0, 20);
  expect(readAuditTail(bytes(line(1) + line(2) + line(3) + torn), true)).toEqual({ lastSequence: 3, tornBytes: bytes(torn).length, found: true });
});

test("garbage after the last good line (zeros left by a power cut) is cut off too", () => {
  const junk = "\0\0\0\n\0\0";
  expect(readAuditTail(bytes(line(1) + line(2) + junk), true)).toEqual({ lastSequence: 2, tornBytes: junk.length, found: true });
});

test("a file of nothing but a torn first line starts over", () => {
  expect(readAuditTail(bytes('{"seq":1,"sub'), true)).toEqual({ lastSequence: 0, tornBytes: 13, found: true });
});

test("a tail from the middle of a big file asks for more when it holds no whole line", () => {
  const text = line(8) + line(9);
  expect(readAuditTail(bytes(text.slice(10)), false).lastSequence).toBe(9);
  expect(readAuditTail(bytes(text.slice(-20)), false).found).toBe(false);
});
