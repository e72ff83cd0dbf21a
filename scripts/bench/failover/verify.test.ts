import { expect, test } from "bun:test";
import type { PostResult } from "./load.ts";
import { isClean, judge, type StreamEvent } from "./verify.ts";

const post = (registration: string, status: number): PostResult => ({ registration, api: 0, phase: "p", startedAt: 0, durationMs: 1, status });
const event = (seq: number, kind: string, registration: string): StreamEvent => ({ seq, kind, registration });

test("every accepted car listed and priced once, the audit holding every sequence once: clean", () => {
  const verdict = judge([post("A1", 201), post("A2", 201)], [event(1, "listed", "A1"), event(2, "listed", "A2"), event(3, "priced", "A1"), event(4, "priced", "A2")], [1, 2, 3, 4]);
  expect(isClean(verdict)).toBe(true);
  expect(verdict.accepted).toBe(2);
});

test("an accepted car never listed is lost; one listed but not priced, or priced twice, is named", () => {
  const verdict = judge(
    [post("A1", 201), post("A2", 201), post("A3", 201)],
    [event(1, "listed", "A2"), event(2, "listed", "A3"), event(3, "priced", "A3"), event(4, "priced", "A3")],
    [1, 2, 3, 4],
  );
  expect(verdict.lost).toEqual(["A1"]);
  expect(verdict.unpriced).toEqual(["A2"]);
  expect(verdict.pricedTwice).toEqual(["A3"]);
  expect(isClean(verdict)).toBe(false);
});

test("a failed POST whose car was stored anyway is counted, not lost; a car listed twice is named", () => {
  const verdict = judge([post("A1", 503), post("A2", 0)], [event(1, "listed", "A1"), event(2, "listed", "A1"), event(3, "priced", "A1")], [1, 2, 3]);
  expect(verdict.lost).toEqual([]);
  expect(verdict.storedDespiteError).toBe(1);
  expect(verdict.listedTwice).toEqual(["A1"]);
});

test("the audit log's duplicates, gaps, lines the stream lacks and distance behind the stream are found", () => {
  const events = [1, 2, 3, 4, 5, 6, 7].map((seq) => event(seq, "updated", "X"));
  expect(judge([], events, [1, 2, 2, 4, 5, 9]).audit).toEqual({ lines: 6, duplicates: [2], gaps: [3], behind: 2, phantoms: [9] });
  expect(judge([], events, [1, 2, 3, 4, 5]).audit).toMatchObject({ gaps: [], behind: 2 });
});

test("a sequence the stream skipped (a write lost with its leader before it was stored) is no gap", () => {
  const events = [1, 2, 4, 5].map((seq) => event(seq, "updated", "X"));
  expect(judge([], events, [1, 2, 4, 5]).audit).toMatchObject({ gaps: [], behind: 0, phantoms: [] });
});
