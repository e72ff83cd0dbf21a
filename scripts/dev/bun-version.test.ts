import { expect, test } from "bun:test";
import rootPackage from "../../package.json";
import { bunVersionProblem, pinnedBunVersion } from "./bun-version.ts";

test("the pinned version is read from packageManager", () => {
  expect(pinnedBunVersion({ packageManager: "bun@1.4.5" })).toBe("1.4.5");
});

test("a packageManager that pins no Bun version is refused, naming the field", () => {
  expect(() => pinnedBunVersion({})).toThrow('package.json "packageManager" must be "bun@<major.minor.patch>", got undefined');
  expect(() => pinnedBunVersion({ packageManager: "npm@10.0.0" })).toThrow('got "npm@10.0.0"');
  expect(() => pinnedBunVersion({ packageManager: "bun@^1.4" })).toThrow('got "bun@^1.4"');
});

test("the pinned Bun and newer ones pass", () => {
  expect(bunVersionProblem("1.4.5", "1.4.5")).toBeUndefined();
  expect(bunVersionProblem("1.4.5", "1.4.10")).toBeUndefined();
  expect(bunVersionProblem("1.4.5", "2.0.0")).toBeUndefined();
});

test("an older Bun gets one line naming the wanted and the found version and how to install it", () => {
  expect(bunVersionProblem("1.4.5", "1.2.21")).toBe('Bun 1.4.5 or newer is needed (package.json "packageManager"), found 1.2.21: npm i -g bun@1.4.5');
  expect(bunVersionProblem("1.4.5", "1.4.4")).toContain("found 1.4.4");
});

test("this repository pins a Bun no newer than the one running its tests, and engines agrees", () => {
  const pinned = pinnedBunVersion(rootPackage);
  expect(bunVersionProblem(pinned, Bun.version)).toBeUndefined();
  expect(rootPackage.engines.bun).toBe(`>=${pinned}`);
});
