import { describe, expect, test } from "bun:test";
import type { PipelineResult } from "./pipeline.ts";
import { consoleSummary, idleRssTotal, markdownReport, processOrder, ratio, targetRows, textTable, verdict, type BenchReport } from "./report.ts";

const throughput = (perSecond: number) => ({ requests: perSecond * 10, seconds: 10, perSecond, errors: 0, p50Ms: 1, p99Ms: 5 });
const latency = (p50: number, p99: number) => ({ count: 100, p50, p99, max: p99 * 2 });

function pipeline(rate: number, p50: number, p99: number, cpu: Record<string, number>): PipelineResult {
  return { rate, seconds: 30, sent: rate * 30, created: rate * 30, postErrors: 0, priced: rate * 30, duplicates: 0, latency: latency(p50, p99), postLatency: latency(1, 2), keptUp: rate, sendLagMaxMs: 0, cpuMsPerCar: cpu };
}

const report: BenchReport = {
  startedAt: "2026-11-28T17:00:00.000Z",
  finishedAt: "2026-11-28T17:05:00.000Z",
  command: "bun run bench",
  quick: false,
  machine: { cores: 2, bun: "1.4.5", natsServer: "nats-server: v2.9.10", loadAtStart: [1, 2, 3], loadAtEnd: [4, 5, 6] },
  comparisons: [
    { figure: "GET /health/live", baseline: "bare Bun.serve", target: 0.8, project: throughput(45_000), reference: throughput(50_000), load: "wrk" },
    { figure: "GET /api/vehicles/{reg}", baseline: "bare Bun.serve", target: 0.5, project: throughput(10_000), reference: throughput(50_000), load: "wrk" },
  ],
  pipeline: [pipeline(100, 2, 10, { api: 0.3, "nats-server": 0.2, "bench client": 0.4 }), pipeline(1000, 4, 30, { api: 0.5, "nats-server": 0.6, "bench client": 0.4 })],
  targetRate: 1000,
  memory: { idle: { api: 100, "nats-server": 30, "dev runner": 50 }, afterLoad: { api: 150, "nats-server": 60, "dev runner": 55 } },
  notes: ["a note"],
};

describe("verdicts", () => {
  test("a ratio at or above its target is met; below it says how far", () => {
    expect(verdict(0.9, 0.8, true)).toBe("met");
    expect(verdict(0.2, 0.5, true)).toBe("missed: 0.40× of target");
    expect(verdict(30, 25, false)).toBe("missed: 1.2× the limit");
    expect(verdict(Number.NaN, 1, true)).toBe("not measured");
  });

  test("the targets table takes the end-to-end figures at the target rate and leaves the bench client out of CPU", () => {
    const rows = targetRows(report);
    expect(rows[0]).toEqual(["1000 cars/s: POST → priced frame p50 < 5 ms", "4.00 ms", "met"]);
    expect(rows[1]).toEqual(["1000 cars/s: POST → priced frame p99 < 25 ms", "30.0 ms", "missed: 1.2× the limit"]);
    expect(rows[2]).toEqual(["1000 cars/s: CPU per car, all processes < 1.2 ms", "1.10 ms", "met"]);
    expect(rows.find((r) => r[0]!.startsWith("GET /api/vehicles/{reg}"))).toEqual(["GET /api/vehicles/{reg} ≥ 0.50 × bare Bun.serve", "0.20", "missed: 0.40× of target"]);
    expect(rows.at(-1)).toEqual(["idle RSS, nats-server and every app < 400 MiB", "130 MiB", "met"]);
    expect(idleRssTotal(report)).toBe(130);
    expect(ratio(report.comparisons[0]!)).toBeCloseTo(0.9, 9);
  });
});

test("processes are listed broker first, then apps in start order, then the runner and the bench", () => {
  expect(processOrder(["bench client", "web", "api", "nats-server", "zzz", "pricing", "dev runner"])).toEqual(["nats-server", "pricing", "api", "web", "dev runner", "bench client", "zzz"]);
});

test("text tables align every column", () => {
  expect(textTable(["a", "bb"], [["long", "1"], ["x", "100"]]).split("\n")).toEqual(["a      bb", "────  ───", "long    1", "x     100"]);
});

test("the markdown report holds every section, the charts and the notes", () => {
  const md = markdownReport(report, { latency: "latency.svg", throughput: "throughput.svg" });
  for (const heading of ["## Targets (issue 15)", "## Throughput beside each baseline", "## End to end", "## CPU per car, per process", "## Memory (RSS)", "## How these were taken"]) expect(md).toContain(heading);
  expect(md).toContain("![latency](latency.svg)");
  expect(md).toContain("| api | 0.300 | 0.500 |");
  expect(md).toContain("- a note");
  expect(md).toContain("| system (nats-server and the apps) | 130.0 | 210.0 |");
  expect(md).toContain("| with the dev runner | 180.0 | 265.0 |");
  expect(consoleSummary(report)).toContain("load average at start 1 2 3, at end 4 5 6 (2 cores)");
});
