/**
 * What a fault run left behind, checked against what the load driver was told: every accepted car (and every
 * other car that turned out stored) must be in the bucket, listed exactly once and priced exactly once, with
 * its price recorded; no car may be listed or priced twice; the audit file must hold every message of the stream
 * exactly once. `observe` reads it all from NATS and the audit file; `analyse` is pure.
 */
import { readFileSync } from "node:fs";
import { BUCKETS, parseVehicleSubject, STREAMS, SUBJECTS } from "@forecourt/shared/contracts";
import { countSubject, readBucket, readStream } from "@forecourt/shared/testing";
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import type { Attempt } from "./load.ts";

export interface ObservedEvent {
  seq: number;
  kind: string;
  registration: string;
}

export interface StoredCar {
  price?: unknown;
  pending?: unknown;
}

export interface Observed {
  events: ObservedEvent[];
  stored: Map<string, StoredCar>;
  /** Stream sequences in the audit file, in file order. */
  auditSeqs: number[];
  stream: { firstSeq: number; lastSeq: number };
  deadLetters: number;
}

export interface Verdict {
  attempts: number;
  accepted: number;
  refused: number;
  refusedByStatus: Record<string, number>;
  ambiguous: number;
  /** Ambiguous or refused attempts whose car was stored after all (it must then be listed and priced too). */
  storedWithoutAccept: number;
  notSent: number;
  /** Cars of this run in the bucket. */
  stored: number;
  /** Cars that must be complete: accepted, or stored anyway. */
  expected: number;
  listedOnce: number;
  pricedOnce: number;
  priceRecorded: number;
  /** Registration and what is missing. */
  lost: { registration: string; reason: string }[];
  /** Registration and what is doubled. */
  duplicated: { registration: string; reason: string }[];
  auditLines: number;
  auditGaps: number;
  auditDuplicates: number;
  deadLetters: number;
  /** Answers of 500 and above, by status. */
  serverErrors: Record<string, number>;
}

export function analyse(attempts: Attempt[], observed: Observed): Verdict {
  const listed = new Map<string, number>();
  const priced = new Map<string, number>();
  for (const e of observed.events) {
    if (e.kind === "listed") listed.set(e.registration, (listed.get(e.registration) ?? 0) + 1);
    if (e.kind === "priced") priced.set(e.registration, (priced.get(e.registration) ?? 0) + 1);
  }
  const verdict: Verdict = {
    attempts: attempts.length,
    accepted: 0,
    refused: 0,
    refusedByStatus: {},
    ambiguous: 0,
    storedWithoutAccept: 0,
    notSent: 0,
    stored: 0,
    expected: 0,
    listedOnce: 0,
    pricedOnce: 0,
    priceRecorded: 0,
    lost: [],
    duplicated: [],
    auditLines: observed.auditSeqs.length,
    auditGaps: 0,
    auditDuplicates: 0,
    deadLetters: observed.deadLetters,
    serverErrors: {},
  };
  for (const attempt of attempts) {
    const { registration } = attempt;
    const car = observed.stored.get(registration);
    if (attempt.outcome === "accepted") verdict.accepted++;
    else if (attempt.outcome === "refused") {
      verdict.refused++;
      verdict.refusedByStatus[attempt.status!] = (verdict.refusedByStatus[attempt.status!] ?? 0) + 1;
    } else if (attempt.outcome === "ambiguous") verdict.ambiguous++;
    else verdict.notSent++;
    if (attempt.status !== undefined && attempt.status >= 500) verdict.serverErrors[attempt.status] = (verdict.serverErrors[attempt.status] ?? 0) + 1;
    if (car) verdict.stored++;
    if (car && attempt.outcome !== "accepted") verdict.storedWithoutAccept++;
    if (attempt.outcome !== "accepted" && !car) continue;
    verdict.expected++;
    const listings = listed.get(registration) ?? 0;
    const prices = priced.get(registration) ?? 0;
    if (listings === 1) verdict.listedOnce++;
    if (prices === 1) verdict.pricedOnce++;
    if (car?.price !== undefined) verdict.priceRecorded++;
    const missing = [!car && "not stored", listings === 0 && "never listed", prices === 0 && "never priced", car && car.price === undefined && "no price recorded"].filter(Boolean);
    if (missing.length) verdict.lost.push({ registration, reason: missing.join(", ") });
  }
  for (const [registration, count] of listed) if (count > 1) verdict.duplicated.push({ registration, reason: `listed ${count} times` });
  for (const [registration, count] of priced) if (count > 1) verdict.duplicated.push({ registration, reason: `priced ${count} times` });

  const seen = new Map<number, number>();
  for (const seq of observed.auditSeqs) seen.set(seq, (seen.get(seq) ?? 0) + 1);
  for (const count of seen.values()) if (count > 1) verdict.auditDuplicates += count - 1;
  // Every message the stream holds must be in the file. Checked against the sequences it holds, not the range from
  // first to last: a cluster may skip a sequence across a leader change, and a skipped sequence is no gap.
  for (const { seq } of observed.events) if (seq >= observed.stream.firstSeq && seq <= observed.stream.lastSeq && !seen.has(seq)) verdict.auditGaps++;
  return verdict;
}

/** Nothing lost, nothing doubled, the audit whole, nothing dead-lettered, and no answer that says "our bug" (500). */
export function passed(v: Verdict): boolean {
  return lacking(v) === "";
}

/** What keeps a verdict from passing, in a few words: "lost 3, audit gaps 2"; empty when it passes. The one rule set. */
export function lacking(v: Verdict): string {
  const parts: [string, number][] = [
    ["lost", v.lost.length],
    ["duplicated", v.duplicated.length],
    ["audit gaps", v.auditGaps],
    ["audit duplicates", v.auditDuplicates],
    ["dead letters", v.deadLetters],
    ["500s", v.serverErrors["500"] ?? 0],
  ];
  return parts.filter(([, n]) => n > 0).map(([what, n]) => `${what} ${n}`).join(", ");
}

function readAuditSeqs(path: string): number[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  const seqs: number[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      seqs.push((JSON.parse(line) as { seq: number }).seq);
    } catch {
      // A torn last line while the audit log writes: not a line yet.
    }
  }
  return seqs;
}

export async function observe(js: JetStreamClient, jsm: JetStreamManager, auditPath: string): Promise<Observed> {
  const decoder = new TextDecoder();
  const { state } = await jsm.streams.info(STREAMS.vehicles.name);
  const events: ObservedEvent[] = [];
  for (const m of await readStream(js, STREAMS.vehicles.name, SUBJECTS.vehicles)) {
    const kind = parseVehicleSubject(m.subject)?.kind ?? "unknown";
    let registration = "";
    try {
      registration = (JSON.parse(decoder.decode(m.data)) as { registration?: string }).registration ?? "";
    } catch {
      // counted under its kind with no registration
    }
    events.push({ seq: m.seq, kind, registration });
  }
  const stored = new Map<string, StoredCar>();
  for (const [key, value] of await readBucket(js, BUCKETS.vehicles)) stored.set(key, JSON.parse(decoder.decode(value)) as StoredCar);
  return {
    events,
    stored,
    auditSeqs: readAuditSeqs(auditPath),
    stream: { firstSeq: state.first_seq, lastSeq: state.last_seq },
    deadLetters: await countSubject(jsm, STREAMS.deadLetter.name, SUBJECTS.deadLetter),
  };
}
