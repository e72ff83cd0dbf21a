import { expect, test } from "bun:test";
import { parseDevArgs } from "./args.ts";

test("no arguments: one server, one instance of each app", () => {
  expect(parseDevArgs([])).toEqual({ cluster: false, instances: 1 });
});

test("--cluster runs two instances unless told otherwise", () => {
  expect(parseDevArgs(["--cluster"])).toEqual({ cluster: true, instances: 2 });
  expect(parseDevArgs(["--cluster", "--instances", "4"])).toEqual({ cluster: true, instances: 4 });
  expect(parseDevArgs(["--instances=3"])).toEqual({ cluster: false, instances: 3 });
});

test("a bad instance count or an unknown flag is one line naming it and the usage", () => {
  expect(() => parseDevArgs(["--instances", "0"])).toThrow('--instances must be an integer 1-8, got "0"; usage: bun run dev');
  expect(() => parseDevArgs(["--instances", "two"])).toThrow('got "two"');
  expect(() => parseDevArgs(["--instances"])).toThrow("got nothing");
  expect(() => parseDevArgs(["--clusters"])).toThrow('unknown argument "--clusters"');
});
