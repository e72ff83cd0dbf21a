/**
 * `bun run test`: unit tests, integration tests (each starts its own nats-server), then the browser suite.
 * Prints every suite's output as it runs, counts each suite from its machine-readable report (JUnit XML
 * in test-results/, Playwright's JSON in e2e/artifacts/), then one closing line totalled over all suites:
 * `N passed, N failed` (`, N skipped` when some were). Exits non-zero when anything failed.
 * `bun run test unit|integration|e2e` runs only those suites.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { Glob } from "bun";
import { addCounts, countJunit, countPlaywright, NO_TESTS, summaryLine, withExitCode, type Counts } from "./test/reports.ts";

const root = join(import.meta.dir, "..");
const reportDir = join(root, "test-results");

function testFiles(match: (path: string) => boolean): string[] {
  const files: string[] = [];
  for (const path of new Glob("{apps,packages,scripts}/**/*.test.ts").scanSync({ cwd: root })) {
    if (path.includes("node_modules")) continue;
    if (match(path)) files.push(`./${path}`);
  }
  return files.sort();
}

/** Runs a suite with its output going straight through; the counts come from its report file. */
async function run(cmd: string[]): Promise<number> {
  const proc = Bun.spawn(cmd, { cwd: root, stdout: "inherit", stderr: "inherit", stdin: "ignore" });
  return proc.exited;
}

/** Reads a report the suite should have written; a missing or unreadable one is one failure, said why. */
function fromReport(path: string, count: (text: string) => Counts): Counts {
  if (!existsSync(path)) {
    console.error(`no report at ${relative(root, path)}: the runner stopped before writing it`);
    return { ...NO_TESTS, failed: 1 };
  }
  try {
    return count(readFileSync(path, "utf8"));
  } catch (error) {
    console.error(`cannot read the report ${relative(root, path)}: ${(error as Error).message}`);
    return { ...NO_TESTS, failed: 1 };
  }
}

async function bunSuite(name: string, label: string, files: string[]): Promise<Counts> {
  console.log(`\n━━ ${label}: ${files.length} file(s) ━━`);
  if (!files.length) return NO_TESTS;
  mkdirSync(reportDir, { recursive: true });
  const report = join(reportDir, `${name}.xml`);
  rmSync(report, { force: true });
  const code = await run(["bun", "test", "--reporter=junit", `--reporter-outfile=${report}`, ...files]);
  return withExitCode(fromReport(report, countJunit), code);
}

async function e2eSuite(): Promise<Counts> {
  console.log("\n━━ browser (Playwright, Chromium) ━━");
  // Written by the JSON reporter named in e2e/playwright.config.ts.
  const report = join(root, "e2e/artifacts/results.json");
  rmSync(report, { force: true });
  const code = await run(["npx", "--no-install", "playwright", "test", "-c", "e2e/playwright.config.ts"]);
  console.log(`screenshots and traces: ${relative(root, join(root, "e2e/artifacts"))}/`);
  return withExitCode(fromReport(report, (text) => countPlaywright(JSON.parse(text))), code);
}

const wanted = new Set(process.argv.slice(2));
const unknown = [...wanted].filter((suite) => !["unit", "integration", "e2e"].includes(suite));
if (unknown.length) {
  console.error(`test: unknown suite ${unknown.join(", ")}; use unit, integration or e2e (or none for all three)`);
  process.exit(2);
}
const want = (suite: string) => wanted.size === 0 || wanted.has(suite);
let total = NO_TESTS;

if (want("unit")) total = addCounts(total, await bunSuite("unit", "unit", testFiles((p) => !p.endsWith(".integration.test.ts"))));
if (want("integration")) total = addCounts(total, await bunSuite("integration", "integration (real nats-server)", testFiles((p) => p.endsWith(".integration.test.ts"))));
if (want("e2e")) total = addCounts(total, await e2eSuite());

console.log(summaryLine(total));
process.exit(total.failed > 0 ? 1 : 0);
