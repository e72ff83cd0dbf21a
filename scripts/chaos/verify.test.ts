import { expect, test } from "bun:test";
import type { Attempt } from "./load.ts";
import { analyse, lacking, passed, type Observed, type ObservedEvent } from "./verify.ts";

const attempt = (registration: string, outcome: Attempt["outcome"], status?: number): Attempt => ({ registration, outcome, status, latencyMs: 1 });

function world(cars: Record<string, { listed?: number; priced?: number; stored?: boolean; price?: boolean }>, audit?: number[]): Observed {
  const events: ObservedEvent[] = [];
  const stored = new Map<string, { price?: unknown }>();
  for (const [registration, car] of Object.entries(cars)) {
    for (let i = 0; i < (car.listed ?? 1); i++) events.push({ seq: events.length + 1, kind: "listed", registration });
    for (let i = 0; i < (car.priced ?? 1); i++) events.push({ seq: events.length + 1, kind: "priced", registration });
    if (car.stored ?? true) stored.set(registration, car.price === false ? {} : { price: { amount: 1 } });
  }
  return { events, stored, auditSeqs: audit ?? events.map((e) => e.seq), stream: { firstSeq: 1, lastSeq: events.length }, deadLetters: 0 };
}

test("a clean run: every accepted car stored, listed once, priced once; refusals counted by status", () => {
  const attempts = [attempt("A1", "accepted", 201), attempt("A2", "accepted", 201), attempt("A3", "refused", 503), attempt("A4", "not-sent")];
  const verdict = analyse(attempts, world({ A1: {}, A2: {} }));
  expect(verdict).toMatchObject({ accepted: 2, refused: 1, refusedByStatus: { 503: 1 }, notSent: 1, stored: 2, expected: 2, listedOnce: 2, pricedOnce: 2, priceRecorded: 2, auditGaps: 0 });
  expect(verdict.serverErrors).toEqual({ 503: 1 });
  expect(passed(verdict)).toBe(true);
});

test("an accepted car missing from the bucket, never priced or without its price is lost", () => {
  const attempts = ["L1", "L2", "L3"].map((r) => attempt(r, "accepted", 201));
  const verdict = analyse(attempts, world({ L1: { stored: false }, L2: { priced: 0 }, L3: { price: false } }));
  expect(verdict.lost).toEqual([
    { registration: "L1", reason: "not stored" },
    { registration: "L2", reason: "never priced" },
    { registration: "L3", reason: "no price recorded" },
  ]);
  expect(passed(verdict)).toBe(false);
});

test("an ambiguous or refused car that was stored after all must be complete too; one that was not stored is fine", () => {
  const attempts = [attempt("M1", "ambiguous"), attempt("M2", "refused", 503), attempt("M3", "ambiguous")];
  const verdict = analyse(attempts, world({ M1: {}, M2: { priced: 0 } }));
  expect(verdict).toMatchObject({ ambiguous: 2, storedWithoutAccept: 2, expected: 2 });
  expect(verdict.lost).toEqual([{ registration: "M2", reason: "never priced" }]);
});

test("a car listed or priced twice is a duplicate", () => {
  const verdict = analyse([attempt("D1", "accepted", 201), attempt("D2", "accepted", 201)], world({ D1: { listed: 2 }, D2: { priced: 2 } }));
  expect(verdict.duplicated).toEqual([
    { registration: "D1", reason: "listed 2 times" },
    { registration: "D2", reason: "priced 2 times" },
  ]);
  expect(passed(verdict)).toBe(false);
});

test("audit sequences missing or written twice are gaps and duplicates", () => {
  const verdict = analyse([attempt("G1", "accepted", 201), attempt("G2", "accepted", 201)], world({ G1: {}, G2: {} }, [1, 2, 2, 4]));
  expect(verdict).toMatchObject({ auditLines: 4, auditGaps: 1, auditDuplicates: 1 });
  expect(passed(verdict)).toBe(false);
});

test("a sequence the stream never holds (skipped across a cluster leader change) is no gap; a message it holds is", () => {
  const observed = world({ K1: {}, K2: {} });
  // The stream's sequences run 1, 2, 4, 5: 3 was skipped.
  observed.events = observed.events.map((e) => ({ ...e, seq: e.seq >= 3 ? e.seq + 1 : e.seq }));
  observed.stream = { firstSeq: 1, lastSeq: 5 };
  const attempts = [attempt("K1", "accepted", 201), attempt("K2", "accepted", 201)];
  expect(analyse(attempts, { ...observed, auditSeqs: [1, 2, 4, 5] }).auditGaps).toBe(0);
  expect(analyse(attempts, { ...observed, auditSeqs: [1, 2, 5] }).auditGaps).toBe(1);
});

test("a single 500 fails the run; 503s do not", () => {
  const ok = analyse([attempt("S1", "refused", 503), attempt("S2", "refused", 503)], world({}));
  expect(passed(ok)).toBe(true);
  const bug = analyse([attempt("S3", "refused", 500)], world({}));
  expect(bug.serverErrors).toEqual({ 500: 1 });
  expect(passed(bug)).toBe(false);
});

test("what a failing verdict lacks is said in a few words, and nothing for a passing one", () => {
  const attempts = ["K1", "K2", "K3"].map((r) => attempt(r, "accepted", 201));
  const failing = analyse(attempts, world({ K1: { stored: false }, K2: { priced: 0 }, K3: { listed: 2 } }, [1, 3]));
  expect(lacking(failing)).toMatch(/^lost 2, duplicated 1, audit gaps \d+$/);
  expect(lacking(analyse(attempts.slice(0, 1), world({ K1: {} })))).toBe("");
});
