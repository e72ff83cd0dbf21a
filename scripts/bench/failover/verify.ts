/**
 * What a run left behind, checked from NATS itself and the audit file: every car whose POST got 201 listed
 * exactly once and priced exactly once in VEHICLES, stored with its price in the `vehicles` bucket, and the
 * audit log holding every VEHICLES sequence once, without a gap. `judge` is pure; `settleAndVerify` reads.
 */
import { readFileSync } from "node:fs";
import { jetstream, jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import { BUCKETS, CONSUMERS, parseVehicleSubject, STREAMS, SUBJECTS } from "@forecourt/shared/contracts";
import { readStream, waitFor } from "@forecourt/shared/testing";
import type { PostResult } from "./load.ts";

export interface StreamEvent {
  seq: number;
  kind: string;
  registration: string;
}

export interface Verdict {
  /** POSTs answered 201. */
  accepted: number;
  /** Accepted cars with no listed event. */
  lost: string[];
  /** Cars with more than one listed event. */
  listedTwice: string[];
  /** Listed cars with no priced event. */
  unpriced: string[];
  /** Cars with more than one priced event. */
  pricedTwice: string[];
  /** POSTs that failed or got no answer, yet whose car was stored and listed (the write landed; the answer did not). */
  storedDespiteError: number;
  /**
   * `gaps`: sequences the stream holds that the audit lacks, below its last line; `behind`: how many it holds past
   * that line; `phantoms`: audit lines for sequences the stream does not hold. A stream's sequences may skip a
   * number (a write proposed by a leader that died before it was stored): that is no gap.
   */
  audit: { lines: number; duplicates: number[]; gaps: number[]; behind: number; phantoms: number[] };
}

/** Every POST's car checked against the stream's events (every one of them, with its sequence) and the audit's sequences. */
export function judge(results: PostResult[], events: StreamEvent[], auditSeqs: number[]): Verdict {
  const count = (kind: string) => {
    const counts = new Map<string, number>();
    for (const e of events) if (e.kind === kind) counts.set(e.registration, (counts.get(e.registration) ?? 0) + 1);
    return counts;
  };
  const listed = count("listed");
  const priced = count("priced");
  const accepted = results.filter((r) => r.status === 201).map((r) => r.registration);
  const posted = new Set(results.map((r) => r.registration));
  const seen = new Set<number>();
  const duplicates: number[] = [];
  for (const seq of auditSeqs) {
    if (seen.has(seq)) duplicates.push(seq);
    seen.add(seq);
  }
  const stored = new Set(events.map((e) => e.seq));
  const top = Math.max(0, ...auditSeqs.filter((seq) => stored.has(seq)));
  const gaps = [...stored].filter((seq) => seq <= top && !seen.has(seq)).sort((a, b) => a - b);
  return {
    accepted: accepted.length,
    lost: accepted.filter((r) => !listed.has(r)),
    listedTwice: [...listed].filter(([r, n]) => n > 1 && posted.has(r)).map(([r]) => r),
    unpriced: [...listed.keys()].filter((r) => posted.has(r) && !priced.has(r)),
    pricedTwice: [...priced].filter(([r, n]) => n > 1 && posted.has(r)).map(([r]) => r),
    storedDespiteError: results.filter((r) => r.status !== 201 && listed.has(r.registration)).length,
    audit: { lines: auditSeqs.length, duplicates, gaps, behind: [...stored].filter((seq) => seq > top).length, phantoms: [...seen].filter((seq) => !stored.has(seq)) },
  };
}

export const isClean = (v: Verdict) =>
  v.lost.length + v.listedTwice.length + v.unpriced.length + v.pricedTwice.length + v.audit.duplicates.length + v.audit.gaps.length + v.audit.behind + v.audit.phantoms.length === 0;

/** Every event in VEHICLES, by sequence. */
export async function vehicleEvents(nc: NatsConnection): Promise<StreamEvent[]> {
  const decoder = new TextDecoder();
  return (await readStream(jetstream(nc), STREAMS.vehicles.name, SUBJECTS.vehicles)).map((e) => ({
    seq: e.seq,
    kind: parseVehicleSubject(e.subject)?.kind ?? e.subject,
    registration: String((JSON.parse(decoder.decode(e.data)) as { registration?: unknown }).registration),
  }));
}

/** The sequences the audit file holds, in file order (a torn last line is not counted). */
export function auditSequences(path: string): number[] {
  const seqs: number[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (!line.trim()) continue;
    try {
      seqs.push((JSON.parse(line) as { seq: number }).seq);
    } catch {
      // a line being written right now
    }
  }
  return seqs;
}

async function consumersIdle(jsm: JetStreamManager): Promise<boolean> {
  for (const name of [CONSUMERS.pricer, CONSUMERS.auditLog, CONSUMERS.api]) {
    const info = await jsm.consumers.info(STREAMS.vehicles.name, name);
    if (info.num_pending > 0 || info.num_ack_pending > 0) return false;
  }
  return true;
}

export interface Settled {
  verdict: Verdict;
  /** Accepted cars the `vehicles` bucket lacks, or holds without the price the pricer published. */
  missingInBucket: string[];
  unpricedInBucket: string[];
  /** What the bucket holds for the first few of those: revision, and whether an event is still owed. */
  bucketNotes: string[];
  settleMs: number;
}

/**
 * Waits until the work is done (consumers idle, every accepted car listed and priced, the audit log at the
 * stream's end), or the timeout passes, then judges what is there.
 */
export async function settleAndVerify(nc: NatsConnection, results: PostResult[], auditPath: string, timeoutMs = 120_000): Promise<Settled> {
  const started = Date.now();
  // Right after a fault the connection may still be moving to another server: ask again rather than fail.
  const jsm = await waitFor(() => jetstreamManager(nc), { timeoutMs, what: "JetStream to answer" });
  let verdict: Verdict | undefined;
  for (;;) {
    const timedOut = Date.now() - started > timeoutMs;
    try {
      const idle = await consumersIdle(jsm).catch(() => false);
      if (idle || timedOut) {
        verdict = judge(results, await vehicleEvents(nc), auditSequences(auditPath));
        if (isClean(verdict) || timedOut) break;
      }
    } catch (error) {
      if (timedOut) throw error;
    }
    await Bun.sleep(1_000);
  }
  const settleMs = Date.now() - started;
  const kv = await new Kvm(jetstream(nc)).open(BUCKETS.vehicles);
  const missingInBucket: string[] = [];
  const unpricedInBucket: string[] = [];
  const bucketNotes: string[] = [];
  const accepted = results.filter((r) => r.status === 201).map((r) => r.registration);
  for (let i = 0; i < accepted.length; i += 200) {
    await Promise.all(
      accepted.slice(i, i + 200).map(async (registration) => {
        const entry = await kv.get(registration);
        if (!entry || entry.operation !== "PUT") missingInBucket.push(registration);
        else if (!entry.json<{ price?: unknown }>().price) {
          unpricedInBucket.push(registration);
          const { pending } = entry.json<{ pending?: { kind: string } }>();
          if (unpricedInBucket.length <= 5) bucketNotes.push(`${registration}: revision ${entry.revision}, ${pending ? `still owes its ${pending.kind} event` : "owes nothing"}`);
        }
      }),
    );
  }
  return { verdict, missingInBucket, unpricedInBucket, bucketNotes, settleMs };
}
