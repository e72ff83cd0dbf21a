import { expect, test } from "bun:test";
import { parseRebuildArgs, UsageError } from "./args.ts";

test("vehicles is the one thing that can be rebuilt", () => {
  expect(parseRebuildArgs(["vehicles"])).toEqual({ target: "vehicles" });
});

test("a missing, unknown or extra argument is a one-line usage error", () => {
  for (const [argv, message] of [
    [[], "name what to rebuild"],
    [["catalog"], 'cannot rebuild "catalog"; only vehicles'],
    [["vehicles", "--all"], 'unexpected argument "--all"'],
  ] as const) {
    const error = (() => {
      try {
        parseRebuildArgs([...argv]);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error!.message).toStartWith(message);
    expect(error!.message).not.toContain("\n");
  }
});
