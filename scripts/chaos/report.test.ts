import { expect, test } from "bun:test";
import type { Attempt } from "./load.ts";
import { formatFailures, formatPhaseTable, formatReport, phaseStats } from "./report.ts";
import type { Verdict } from "./verify.ts";

const clean: Verdict = {
  attempts: 100, accepted: 90, refused: 8, refusedByStatus: { 503: 8 }, ambiguous: 1, storedWithoutAccept: 1, notSent: 1, stored: 91, expected: 91,
  listedOnce: 91, pricedOnce: 91, priceRecorded: 91, lost: [], duplicated: [], auditLines: 182, auditGaps: 0, auditDuplicates: 0, deadLetters: 0, serverErrors: { 503: 8 },
};

test("the report lists every measure and every fault with its recovery time, and says PASS for a clean run", () => {
  const text = formatReport(clean, [
    { atMs: 5_200, kind: "kill-app", target: "api-2", downMs: 1_200, readyAfterMs: 2_345 },
    { atMs: 20_000, kind: "kill-nats", target: "nats", downMs: 2_000, readyAfterMs: 4_100, slowest: "api-1" },
  ]);
  for (const row of ["accepted (201)", "8 (503: 8)", "ambiguous", "listed exactly once", "91 of 91", "audit gaps", "dead letters", "5xx by status"]) expect(text).toContain(row);
  expect(text).toContain("5.2 s  SIGKILL api-2");
  expect(text).toContain("down 1.2 s, ready 2.3 s after restart");
  expect(text).toContain("NATS SIGKILL");
  expect(text).toContain("(last: api-1)");
  expect(text.trimEnd().endsWith("PASS: nothing lost, nothing duplicated, no 500")).toBe(true);
});

test("a lost car or a 500 turns the verdict to FAIL and names the car", () => {
  const text = formatReport({ ...clean, lost: [{ registration: "X1", reason: "never priced" }], serverErrors: { 500: 1 } }, []);
  expect(text).toContain("! X1: never priced");
  expect(text).toContain("500: 1");
  expect(text.trimEnd().endsWith("FAIL: see the rows above")).toBe(true);
});

test("each phase counts the attempts sent during it: error rate, statuses, latency, and one example per kind of failure", () => {
  const attempts: Attempt[] = [
    { registration: "P1", outcome: "accepted", status: 201, latencyMs: 10, phase: "steady" },
    { registration: "P2", outcome: "accepted", status: 201, latencyMs: 30, phase: "steady" },
    { registration: "P3", outcome: "refused", status: 503, latencyMs: 5_000, phase: "leader down", retryAfter: "2", detail: "the vehicle store is unavailable; retry in 2 s" },
    { registration: "P4", outcome: "refused", status: 503, latencyMs: 5_001, phase: "leader down", retryAfter: "2", detail: "the vehicle store is unavailable; retry in 2 s" },
    { registration: "P5", outcome: "ambiguous", error: "TimeoutError", latencyMs: 10_000, phase: "leader down" },
    { registration: "P6", outcome: "accepted", status: 201, latencyMs: 40, phase: "leader down" },
  ];
  const [steady, down] = phaseStats(attempts, ["steady", "leader down"]);
  expect(steady).toMatchObject({ posts: 2, created: 2, errorRate: 0, p50: 10, p99: 30 });
  expect(down).toMatchObject({ posts: 4, created: 1, errorRate: 75, statuses: { "201": 1, "503": 2, "no answer": 1 }, max: 10_000 });
  expect(down!.failures).toEqual([
    { answer: "503", retryAfter: "2", detail: "the vehicle store is unavailable; retry in 2 s", count: 2 },
    { answer: "no answer", retryAfter: undefined, detail: "TimeoutError", count: 1 },
  ]);
  const table = formatPhaseTable([steady!, down!], { "leader down": "kill -9 nats-2 (leader of VEHICLES)" });
  expect(table).toContain("| leader down | kill -9 nats-2 (leader of VEHICLES) | 4     | 1   | 75.0%");
  expect(formatFailures([steady!, down!])).toBe("leader down: 2× HTTP 503 Retry-After: 2: the vehicle store is unavailable; retry in 2 s\nleader down: 1× no answer: TimeoutError");
});

test("a fault whose recovery could not be timed is reported as such, not as a failure, in a passing run", () => {
  const text = formatReport(clean, [{ atMs: 3_100, kind: "kill-server", target: "nats-1", downMs: 3_000, error: "not every app ready within 3 s of the restart (web-2)" }]);
  expect(text).toContain("down 3.0 s; not every app ready within 3 s of the restart (web-2)");
  expect(text).not.toContain("FAILED");
  expect(text.trimEnd().endsWith("PASS: nothing lost, nothing duplicated, no 500")).toBe(true);
});
