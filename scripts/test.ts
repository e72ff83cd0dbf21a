/**
 * `bun run test`: unit tests, integration tests (each starts its own nats-server), then the browser suite.
 * Prints every suite's output as it runs, then one closing line totalled over all suites:
 * `N passed, N failed` (`, N skipped` when some were). Exits non-zero when anything failed.
 * `bun run test unit|integration|e2e` runs only those suites.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { Glob } from "bun";

const root = join(import.meta.dir, "..");

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

function testFiles(match: (path: string) => boolean): string[] {
  const files: string[] = [];
  for (const path of new Glob("{apps,packages,scripts}/**/*.test.ts").scanSync({ cwd: root })) {
    if (path.includes("node_modules")) continue;
    if (match(path)) files.push(`./${path}`);
  }
  return files.sort();
}

/** Streams the child's output through while keeping a copy to read the counts from. */
async function run(cmd: string[], env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  const proc = Bun.spawn(cmd, { cwd: root, env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  let output = "";
  const copy = async (stream: ReadableStream<Uint8Array>, to: NodeJS.WriteStream) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      const text = decoder.decode(chunk, { stream: true });
      output += text;
      to.write(text);
    }
  };
  await Promise.all([copy(proc.stdout, process.stdout), copy(proc.stderr, process.stderr)]);
  return { code: await proc.exited, output };
}

function bunCounts(output: string): Counts {
  const count = (word: string) => Number(new RegExp(`^\\s*(\\d+) ${word}$`, "m").exec(output)?.[1] ?? 0);
  return { passed: count("pass"), failed: count("fail"), skipped: count("skip") + count("todo") };
}

async function bunSuite(label: string, files: string[]): Promise<Counts> {
  console.log(`\n━━ ${label}: ${files.length} file(s) ━━`);
  if (!files.length) return { passed: 0, failed: 0, skipped: 0 };
  const { code, output } = await run(["bun", "test", ...files]);
  const counts = bunCounts(output);
  // A crash before any count (syntax error, a hung file killed) must still fail the run.
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  return counts;
}

interface PlaywrightStats {
  expected: number;
  unexpected: number;
  flaky: number;
  skipped: number;
}

async function e2eSuite(): Promise<Counts> {
  console.log("\n━━ browser (Playwright, Chromium) ━━");
  const results = join(root, "e2e/artifacts/results.json");
  rmSync(results, { force: true });
  const { code } = await run(["npx", "--no-install", "playwright", "test", "-c", "e2e/playwright.config.ts"]);
  if (!existsSync(results)) return { passed: 0, failed: 1, skipped: 0 };
  const { stats } = JSON.parse(readFileSync(results, "utf8")) as { stats: PlaywrightStats };
  const counts = { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped };
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  console.log(`screenshots and traces: ${relative(root, join(root, "e2e/artifacts"))}/`);
  return counts;
}

const wanted = new Set(process.argv.slice(2));
const want = (suite: string) => wanted.size === 0 || wanted.has(suite);
const total: Counts = { passed: 0, failed: 0, skipped: 0 };
const add = (c: Counts) => {
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
};

if (want("unit")) add(await bunSuite("unit", testFiles((p) => !p.endsWith(".integration.test.ts"))));
if (want("integration")) add(await bunSuite("integration (real nats-server)", testFiles((p) => p.endsWith(".integration.test.ts"))));
if (want("e2e")) add(await e2eSuite());

console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`);
process.exit(total.failed > 0 ? 1 : 0);
