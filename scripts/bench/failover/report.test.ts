import { expect, test } from "bun:test";
import type { PostResult } from "./load.ts";
import { formatPhaseTable, percentile, phaseStats } from "./report.ts";

const post = (phase: string, status: number, durationMs: number, detail?: string, retryAfter?: string): PostResult => ({
  registration: "X1",
  api: 0,
  phase,
  startedAt: 0,
  durationMs,
  status,
  detail,
  retryAfter,
});

test("percentiles are nearest-rank", () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
  expect(percentile(sorted, 50)).toBe(50);
  expect(percentile(sorted, 99)).toBe(99);
  expect(percentile([], 50)).toBe(0);
});

test("each phase gets its error rate, statuses, latencies and one example per kind of failure", () => {
  const results = [
    post("steady", 201, 2),
    post("steady", 201, 4),
    post("leader killed", 201, 3),
    post("leader killed", 503, 2_000, "NATS is not answering (stream 12 has no leader)", "1"),
    post("leader killed", 503, 2_100, "NATS is not answering (stream 13 has no leader)", "1"),
    post("leader killed", 0, 10_000, "TimeoutError: The operation timed out."),
  ];
  const [steady, fault] = phaseStats(results, ["steady", "leader killed"]);
  expect(steady).toMatchObject({ posts: 2, created: 2, errorRate: 0, p50: 2, max: 4, failures: [] });
  expect(fault!.errorRate).toBe(75);
  expect(fault!.statuses).toEqual({ "0": 1, "201": 1, "503": 2 });
  expect(fault!.failures.map((f) => [f.status, f.count, f.retryAfter])).toEqual([[503, 2, "1"], [0, 1, undefined]]);
  const table = formatPhaseTable([steady!, fault!]);
  expect(table).toContain("| leader killed |");
  expect(table).toContain("no answer×1");
  expect(table).toContain("75.0%");
});
