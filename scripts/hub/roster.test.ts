import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addParticipant, hubPaths, loadRoster, randomPassword, RosterError } from "./roster.ts";

const dirs: string[] = [];
const tempDir = () => {
  const dir = join(mkdtempSync(join(tmpdir(), "forecourt-roster-")), "hub");
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(join(dir, ".."), { recursive: true, force: true })));

test("passwords are 24 URL-safe characters, different every time", () => {
  const a = randomPassword();
  expect(a).toMatch(/^[A-Za-z0-9]{24}$/);
  expect(randomPassword()).not.toBe(a);
});

test("adding a participant stores it with a password, readable by the owner only, and writes its credentials file", () => {
  const dir = tempDir();
  const { entry, added } = addParticipant(dir, "alice", new Date("2026-11-28T10:00:00Z"));
  expect(added).toBe(true);
  expect(loadRoster(dir).participants).toEqual([{ name: "alice", password: entry.password, addedAt: "2026-11-28T10:00:00.000Z" }]);
  expect(readFileSync(hubPaths(dir).credentials("alice"), "utf8")).toBe(`${entry.password}\n`);
  for (const path of [hubPaths(dir).roster, hubPaths(dir).credentials("alice")]) expect(statSync(path).mode & 0o777).toBe(0o600);
});

test("adding the same name again keeps its password", () => {
  const dir = tempDir();
  const first = addParticipant(dir, "bob").entry;
  const again = addParticipant(dir, "bob");
  expect(again).toEqual({ entry: first, added: false });
  expect(loadRoster(dir).participants).toHaveLength(1);
});

test("a bad or reserved name is refused before anything is written", () => {
  const dir = tempDir();
  expect(() => addParticipant(dir, "Bob!")).toThrow(RosterError);
  expect(() => addParticipant(dir, "hub")).toThrow("taken by the hub");
  expect(loadRoster(dir).participants).toEqual([]);
});
