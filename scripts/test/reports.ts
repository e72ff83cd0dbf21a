/**
 * Counts test results from the runners' machine-readable reports, never from their console text:
 * `bun test --reporter=junit` (JUnit XML) and Playwright's JSON reporter.
 */

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

export const NO_TESTS: Counts = { passed: 0, failed: 0, skipped: 0 };

export function addCounts(a: Counts, b: Counts): Counts {
  return { passed: a.passed + b.passed, failed: a.failed + b.failed, skipped: a.skipped + b.skipped };
}

/** The runner's closing line: `N passed, N failed`, with `, N skipped` only when some were. */
export function summaryLine(counts: Counts): string {
  return `${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ""}`;
}

/**
 * A suite that exited non-zero without any failed test still failed: a file that did not load, an error
 * thrown between tests, a runner killed on a timeout. None of those reach the report, so each counts once.
 */
export function withExitCode(counts: Counts, exitCode: number): Counts {
  return exitCode !== 0 && counts.failed === 0 ? { ...counts, failed: 1 } : counts;
}

/**
 * One count per <testcase>: failed when it holds a <failure> or <error>, skipped when it holds <skipped>
 * (bun writes `test.skip` and `test.todo` so), passed otherwise. Bun escapes `<` and `>` inside attributes
 * and messages, so a tag can be found by its name.
 */
export function countJunit(xml: string): Counts {
  const counts = { ...NO_TESTS };
  for (const match of xml.matchAll(/<testcase\b[^>]*?(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const body = match[1] ?? "";
    if (/<(failure|error)\b/.test(body)) counts.failed++;
    else if (/<skipped\b/.test(body)) counts.skipped++;
    else counts.passed++;
  }
  return counts;
}

interface PlaywrightReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  /** Errors outside any test: a web server that did not start, a test file that did not load. */
  errors?: unknown[];
}

/** A flaky test passed on a retry, so it counts as passed; every error outside a test counts as a failure. */
export function countPlaywright(report: unknown): Counts {
  const { stats, errors = [] } = report as PlaywrightReport;
  if (typeof stats?.expected !== "number") throw new Error("not a Playwright JSON report: no stats");
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected + errors.length, skipped: stats.skipped };
}
