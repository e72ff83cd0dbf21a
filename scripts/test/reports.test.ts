import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { addCounts, countJunit, countPlaywright, summaryLine, withExitCode } from "./reports.ts";

const fixture = (name: string) => readFileSync(join(import.meta.dir, "fixtures", name), "utf8");

describe("bun's JUnit report", () => {
  test("counts passed, failed (in nested describes too) and skipped (skip and todo) test cases", () => {
    // bun-junit.xml: ok, bad <x> (fails), skipped, todo one, grp > inner fail (throws)
    expect(countJunit(fixture("bun-junit.xml"))).toEqual({ passed: 1, failed: 2, skipped: 2 });
  });

  test("a test whose name or message looks like markup is counted once", () => {
    const xml = `<testsuites><testsuite name="a.test.ts">
      <testcase name="&lt;testcase&gt; in a name" classname="" />
      <testcase name="fails" classname=""><failure message="&lt;skipped /&gt;">AssertionError</failure></testcase>
    </testsuite></testsuites>`;
    expect(countJunit(xml)).toEqual({ passed: 1, failed: 1, skipped: 0 });
  });

  test("an <error> element counts as a failure", () => {
    expect(countJunit(`<testcase name="x"><error message="boom" /></testcase>`)).toEqual({ passed: 0, failed: 1, skipped: 0 });
  });

  test("a report without test cases counts nothing", () => {
    expect(countJunit(`<?xml version="1.0"?><testsuites name="bun test" tests="0"></testsuites>`)).toEqual({ passed: 0, failed: 0, skipped: 0 });
  });
});

describe("Playwright's JSON report", () => {
  test("counts expected and flaky as passed, unexpected as failed, and skipped", () => {
    // playwright-results.json: passes, fails, skipped, flaky (passed on its retry)
    expect(countPlaywright(JSON.parse(fixture("playwright-results.json")))).toEqual({ passed: 2, failed: 1, skipped: 1 });
  });

  test("an error outside any test, such as a web server that did not start, is a failure", () => {
    expect(countPlaywright(JSON.parse(fixture("playwright-web-server-failed.json")))).toEqual({ passed: 0, failed: 1, skipped: 0 });
  });

  test("something that is not a report is refused", () => {
    expect(() => countPlaywright({ suites: [] })).toThrow("not a Playwright JSON report");
  });
});

describe("the closing line", () => {
  test("names skipped tests only when there are some", () => {
    expect(summaryLine({ passed: 3, failed: 0, skipped: 0 })).toBe("3 passed, 0 failed");
    expect(summaryLine({ passed: 3, failed: 1, skipped: 2 })).toBe("3 passed, 1 failed, 2 skipped");
  });

  test("suites add up", () => {
    expect(addCounts({ passed: 1, failed: 2, skipped: 3 }, { passed: 10, failed: 20, skipped: 30 })).toEqual({ passed: 11, failed: 22, skipped: 33 });
  });

  test("a suite that exited non-zero with no failed test counts one failure", () => {
    expect(withExitCode({ passed: 5, failed: 0, skipped: 0 }, 1)).toEqual({ passed: 5, failed: 1, skipped: 0 });
    expect(withExitCode({ passed: 5, failed: 2, skipped: 0 }, 1)).toEqual({ passed: 5, failed: 2, skipped: 0 });
    expect(withExitCode({ passed: 5, failed: 0, skipped: 0 }, 0)).toEqual({ passed: 5, failed: 0, skipped: 0 });
  });
});
