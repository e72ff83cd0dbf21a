import { expect, test } from "bun:test";
import { LabArgsError, parseLabArgs, runDirName } from "./args.ts";

test("no arguments is the full programme; --quick and --out are taken", () => {
  expect(parseLabArgs([])).toEqual({ quick: false, help: false });
  expect(parseLabArgs(["--quick", "--out", "/tmp/x"])).toEqual({ quick: true, help: false, out: "/tmp/x" });
});

test("an unknown argument or an --out without a directory is one line naming it and the usage", () => {
  expect(() => parseLabArgs(["--fast"])).toThrow(new LabArgsError('unknown argument "--fast"'));
  expect(() => parseLabArgs(["--out"])).toThrow("--out needs a directory; usage: bun run lab [--quick] [--out <dir>]");
  expect(() => parseLabArgs(["--out", "--quick"])).toThrow("--out needs a directory");
});

test("the run directory is the UTC time without characters a file system may refuse", () => {
  expect(runDirName(new Date("2026-11-28T17:46:33.123Z"))).toBe("2026-11-28T17-46-33Z");
});
