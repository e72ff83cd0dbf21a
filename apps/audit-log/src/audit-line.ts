/**
 * One audit line per vehicle event: its stream sequence (the line's identity and the resume point),
 * subject, trace id and body. Pure, so recovery from a torn file is tested without a disk.
 */
import { parseVehicleSubject } from "@forecourt/shared/contracts";

export interface AuditLine {
  seq: number;
  subject: string;
  kind: string;
  registration?: string;
  traceId?: string;
  /** When JetStream stored the event. */
  publishedAt: string;
  recordedAt: string;
  /** The event body as published; `raw` instead when it was not JSON (the audit keeps even broken events). */
  event?: unknown;
  raw?: string;
}

export interface AuditSource {
  seq: number;
  subject: string;
  data: Uint8Array;
  traceId?: string;
  publishedAt: Date;
}

const decoder = new TextDecoder();

export function auditLine(source: AuditSource, recordedAt: Date): AuditLine {
  const text = decoder.decode(source.data);
  let event: unknown;
  let raw: string | undefined;
  try {
    event = JSON.parse(text);
  } catch {
    raw = text;
  }
  const registration = typeof (event as { registration?: unknown })?.registration === "string" ? (event as { registration: string }).registration : undefined;
  return {
    seq: source.seq,
    subject: source.subject,
    kind: parseVehicleSubject(source.subject)?.kind ?? "unknown",
    registration,
    traceId: source.traceId,
    publishedAt: source.publishedAt.toISOString(),
    recordedAt: recordedAt.toISOString(),
    ...(raw === undefined ? { event } : { raw }),
  };
}

export function formatAuditLine(line: AuditLine): string {
  return JSON.stringify(line) + "\n";
}

/** The sequence of a complete audit line, or undefined for anything else (a torn write, garbage). */
export function parseAuditSequence(text: string): number | undefined {
  try {
    const seq = (JSON.parse(text) as { seq?: unknown }).seq;
    return typeof seq === "number" && Number.isSafeInteger(seq) && seq > 0 ? seq : undefined;
  } catch {
    return undefined;
  }
}

export interface AuditTail {
  /** Sequence of the last complete line; 0 when there is none. */
  lastSequence: number;
  /** Bytes at the end of the file after that line: a write torn by a crash, to cut off before appending. */
  tornBytes: number;
  /** False when the tail holds no complete line but the file is longer: read a bigger tail. */
  found: boolean;
}

const NEWLINE = 0x0a;

/**
 * Reads the end of an audit file: the last line that ends in a newline and parses is the last one written
 * (we fsync line and newline together); anything after it is torn and will be written again.
 */
export function readAuditTail(tail: Uint8Array, wholeFile: boolean): AuditTail {
  let end = tail.length;
  while (end > 0) {
    const newline = tail.lastIndexOf(NEWLINE, end - 1);
    if (newline < 0) break;
    const start = tail.lastIndexOf(NEWLINE, newline - 1) + 1;
    if (start === 0 && !wholeFile) return { lastSequence: 0, tornBytes: 0, found: false };
    const seq = parseAuditSequence(decoder.decode(tail.subarray(start, newline)));
    if (seq !== undefined) return { lastSequence: seq, tornBytes: tail.length - (newline + 1), found: true };
    end = start;
  }
  return wholeFile ? { lastSequence: 0, tornBytes: tail.length, found: true } : { lastSequence: 0, tornBytes: 0, found: false };
}
