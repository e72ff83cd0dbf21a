import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchReport } from "./bench/report.ts";

const out = mkdtempSync(join(tmpdir(), "forecourt-bench-test-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// A smoke test that the bench runs end to end and writes its report; its figures are never checked here.
test("bun run bench --quick runs every stage and writes the report with both charts", async () => {
  const proc = Bun.spawn(["bun", "scripts/bench.ts", "--quick", "--out", out], { cwd: join(import.meta.dir, ".."), stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  expect({ code, stderr: code === 0 ? "" : stderr + stdout.slice(-2000) }).toEqual({ code: 0, stderr: "" });
  for (const line of ["Throughput beside each baseline", "End to end: POST → priced frame on a live socket", "CPU per car, per process", "Targets (issue 15)"]) expect(stdout).toContain(line);
  const report = readFileSync(join(out, "report.md"), "utf8");
  expect(report).toContain("![latency](latency.svg)");
  for (const chart of ["latency.svg", "throughput.svg"]) expect(readFileSync(join(out, chart), "utf8")).toStartWith("<svg");
  const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as BenchReport;
  expect(results.comparisons.map((c) => c.figure)).toEqual(["GET /api/vehicles/{reg}", "GET /api/vehicles?index&count=10", "GET /health/live", "POST /api/vehicles (workers stopped)", "GetPrice over gRPC"]);
  expect(results.pipeline.map((r) => r.rate)).toEqual([100, 250]);
  expect(results.pipeline.every((r) => r.sent > 0)).toBe(true);
  expect(Object.keys(results.memory.idle).sort()).toEqual(["api", "audit-log", "dev runner", "nats-server", "pricer", "pricing", "web"]);
  expect(existsSync(join(out, "dev-all.log"))).toBe(true);
}, 240_000);
