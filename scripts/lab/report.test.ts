import { expect, test } from "bun:test";
import { formatTable, renderReport, TABLE_HEADER, type LabRun } from "./report.ts";
import type { StepResult } from "./run-step.ts";

const summary = (p50: number) => ({ count: 10, p50, p95: p50 * 2, p99: p50 * 3 });

function step(name: string, overrides: Partial<StepResult> = {}): StepResult {
  return {
    name,
    description: `${name} described`,
    listed: 48,
    refused: 0,
    delivered: 96,
    expectedDeliveries: 96,
    latency: summary(40),
    crossedPerSecond: 24.5,
    lost: 0,
    duplicated: 0,
    missing: [],
    unpriced: [],
    deadLettered: 0,
    settledMs: 1500,
    pending: { hubBytes: 0, leafBytes: { a: 10, b: 2048 }, linkQueuedBytes: { a: 5000, b: 100 }, sourceLag: 3 },
    pricing: { REST: { ...summary(7), failures: 0 }, gRPC: { ...summary(9), failures: 1 }, "NATS req/reply": { ...summary(12), failures: 2 } },
    ...overrides,
  };
}

const run = (steps: StepResult[]): LabRun => ({ startedAt: "2026-11-28T18:00:00.000Z", command: "bun run lab --quick", participants: ["a", "b"], remotePricing: "b", ratePerSecond: 4, steps });

test("the table has one row per step, columns aligned, the largest pending figures and every style's failures", () => {
  const lines = formatTable([step("unshaped"), step("64 kbit/s", { latency: { count: 0, p50: Number.NaN, p95: Number.NaN, p99: Number.NaN } })]).split("\n");
  expect(lines).toHaveLength(3);
  expect(lines[0]!.split(/\s{2,}/)).toEqual(TABLE_HEADER);
  expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  expect(lines[1]!.split(/\s{2,}/)).toEqual(["unshaped", "48", "96/96", "40", "80", "120", "24.5", "0", "0", "4.9k", "2.0k", "0", "3", "7", "9", "12", "0/1/2"]);
  expect(lines[2]).toContain(" – ");
});

test("the report sums lost and duplicated over the steps, names what is missing, and links the three charts", () => {
  const report = renderReport(run([step("unshaped"), step("cut", { lost: 3, missing: ["priced.b.L5B1"], unpriced: ["b.L5B2"], deadLettered: 1 })]));
  expect(report).toContain("**Lost: 3, duplicated: 0**");
  expect(report).toContain("| unshaped | 48 | 96/96 |");
  expect(report).toContain("3 event copies still missing 1.5 s after the listing ended (priced.b.L5B1, …); 1 car(s) not priced yet by their own participant (b.L5B2); 1 message(s) dead-lettered");
  expect(report).toContain("every event in every VEHICLES 1.5 s after the listing ended.");
  for (const chart of ["latency.svg", "throughput.svg", "pricing.svg"]) expect(report).toContain(`](${chart})`);
});
