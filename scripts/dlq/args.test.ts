import { expect, test } from "bun:test";
import { parseDlqArgs, UsageError } from "./args.ts";

test("list is the default command and takes --json", () => {
  expect(parseDlqArgs([])).toEqual({ kind: "list", json: false });
  expect(parseDlqArgs(["list", "--json"])).toEqual({ kind: "list", json: true });
});

test("redrive takes one or more ids, or --all", () => {
  expect(parseDlqArgs(["redrive", "7"])).toEqual({ kind: "redrive", ids: [7] });
  expect(parseDlqArgs(["redrive", "7", "9", "7"])).toEqual({ kind: "redrive", ids: [7, 9] });
  expect(parseDlqArgs(["redrive", "--all"])).toEqual({ kind: "redrive-all" });
  expect(parseDlqArgs(["--all"])).toEqual({ kind: "redrive-all" });
});

test("bad input is a usage error naming the problem", () => {
  expect(() => parseDlqArgs(["redrive"])).toThrow(UsageError);
  expect(() => parseDlqArgs(["redrive", "abc"])).toThrow(/"abc" is not a dead-letter id/);
  expect(() => parseDlqArgs(["redrive", "0"])).toThrow(/not a dead-letter id/);
  expect(() => parseDlqArgs(["purge"])).toThrow(/unknown command "purge"/);
  expect(() => parseDlqArgs(["list", "--yaml"])).toThrow(/unexpected argument "--yaml"/);
});
