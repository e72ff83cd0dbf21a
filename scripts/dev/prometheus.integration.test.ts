import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planDev } from "./apps.ts";
import { parseDevArgs } from "./workshop-args.ts";
import { prometheusConfig } from "./prometheus.ts";

const root = join(import.meta.dir, "../..");
const RULES = join(root, "prometheus/forecourt.rules.yml");
const dir = mkdtempSync(join(tmpdir(), "forecourt-prometheus-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function promtool(...args: string[]) {
  const result = Bun.spawnSync(["promtool", ...args], { cwd: join(root, "prometheus") });
  return { code: result.exitCode, output: result.stdout.toString() + result.stderr.toString() };
}

test("the config bun run dev --observe generates passes promtool check config, rules file included", () => {
  const plan = planDev({}, parseDevArgs(["--observe"], {}, () => ""));
  const config = join(dir, "prometheus.yml");
  writeFileSync(config, prometheusConfig({ targets: plan.observe!.targets, rulesFile: RULES }));
  const { code, output } = promtool("check", "config", config);
  expect(output).toContain("SUCCESS: 1 rule files found");
  expect(code).toBe(0);
});

test("the shipped rules pass promtool check rules and their unit tests (promtool test rules)", () => {
  const checked = promtool("check", "rules", RULES);
  expect(checked.output).toContain("SUCCESS");
  expect(checked.code).toBe(0);
  const tested = promtool("test", "rules", "forecourt.rules.test.yml");
  expect(tested.output).toContain("SUCCESS");
  expect(tested.code).toBe(0);
});
