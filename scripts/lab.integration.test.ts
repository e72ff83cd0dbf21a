/**
 * `bun run lab --quick` end to end, as CI runs it: the whole shortened programme on a hub and three participants,
 * then report.md with every step, its charts, and nothing lost or duplicated in any step.
 */
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { quickProgramme } from "./lab/programme.ts";
import type { LabRun } from "./lab/report.ts";

const out = mkdtempSync(join(tmpdir(), "forecourt-lab-run-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

test("bun run lab --quick writes a report with every step, its charts, and 0 lost and 0 duplicated in each", async () => {
  const proc = Bun.spawn(["bun", "scripts/lab.ts", "--quick", "--out", out], { cwd: join(import.meta.dir, ".."), stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) console.log(stdout, stderr);
  expect(code).toBe(0);
  const report = readFileSync(join(out, "report.md"), "utf8");
  const run = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as LabRun;
  const steps = quickProgramme().steps.map((s) => s.name);
  expect(run.steps.map((s) => s.name)).toEqual(steps);
  for (const name of steps) expect(report).toContain(`| ${name} |`);
  expect(report).toContain("**Lost: 0, duplicated: 0**");
  for (const step of run.steps) {
    expect({ step: step.name, lost: step.lost, duplicated: step.duplicated }).toEqual({ step: step.name, lost: 0, duplicated: 0 });
    expect(step.listed).toBeGreaterThan(0);
    expect(step.delivered).toBe(step.expectedDeliveries);
  }
  for (const chart of ["latency.svg", "throughput.svg", "pricing.svg"]) {
    expect(existsSync(join(out, chart))).toBe(true);
    expect(report).toContain(`](${chart})`);
  }
  // The progress lines and the table went to the terminal.
  expect(stdout).toContain(`[${steps.length}/${steps.length}]`);
  expect(stdout).toContain("lost 0, duplicated 0");
}, 300_000);
