import { expect, test } from "bun:test";
import { parseDealersArgs, UsageError } from "./args.ts";

test("list is the default command and takes --json; add and revoke take one name", () => {
  expect(parseDealersArgs([])).toEqual({ kind: "list", json: false });
  expect(parseDealersArgs(["list", "--json"])).toEqual({ kind: "list", json: true });
  expect(parseDealersArgs(["add", "autobarn"])).toEqual({ kind: "add", name: "autobarn" });
  expect(parseDealersArgs(["revoke", "dealer-2"])).toEqual({ kind: "revoke", name: "dealer-2" });
});

test("bad input is a usage error naming the problem", () => {
  expect(() => parseDealersArgs(["add"])).toThrow(UsageError);
  expect(() => parseDealersArgs(["add", "a", "b"])).toThrow(/add takes one dealer name/);
  expect(() => parseDealersArgs(["add", "Auto Barn"])).toThrow(/a dealer name is 1 to 32 lowercase letters/);
  expect(() => parseDealersArgs(["rotate", "a"])).toThrow(/unknown command "rotate"/);
  expect(() => parseDealersArgs(["list", "--yaml"])).toThrow(/unexpected argument "--yaml"/);
});
