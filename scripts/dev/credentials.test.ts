import { afterEach, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NATS_USERS } from "@forecourt/shared/platform";
import { inspectorContextCommand, loadOrCreatePasswords, scriptNatsAuth, writeNatsAuthFile } from "./credentials.ts";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), "forecourt-credentials-test-"));
  dirs.push(dir);
  return dir;
};

test("every user gets a random password on first start, kept (0600, folder 0700) and the same on the next", () => {
  const dir = join(temp(), "credentials");
  const first = loadOrCreatePasswords(dir);
  expect(Object.keys(first).sort()).toEqual([...NATS_USERS].sort());
  expect(new Set(Object.values(first)).size).toBe(NATS_USERS.length);
  for (const password of Object.values(first)) expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
  expect(statSync(dir).mode & 0o777).toBe(0o700);
  expect(statSync(join(dir, "admin.password")).mode & 0o777).toBe(0o600);
  expect(loadOrCreatePasswords(dir)).toEqual(first);
});

test("the auth file holds bcrypt hashes that check against the passwords, never a password", async () => {
  const dir = join(temp(), "credentials");
  const passwords = loadOrCreatePasswords(dir);
  const text = readFileSync(await writeNatsAuthFile(dir, passwords), "utf8");
  for (const password of Object.values(passwords)) expect(text).not.toContain(password);
  const adminHash = /user: "admin"\n\s+password: "([^"]+)"/.exec(text)![1]!;
  expect(await Bun.password.verify(passwords.admin, adminHash)).toBe(true);
  expect(statSync(join(dir, "nats-auth.conf")).mode & 0o777).toBe(0o600);
});

test("a script connects as NATS_USER when set, else as admin from CREDENTIALS_DIR, the participant's stack or .data/credentials", () => {
  const root = temp();
  const write = (dir: string, password: string) => {
    mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, dir, "admin.password"), `${password}\n`);
  };
  expect(scriptNatsAuth({}, root)).toBeUndefined();
  write(".data/credentials", "default-pw");
  expect(scriptNatsAuth({}, root)).toEqual({ user: "admin", password: "default-pw" });
  expect(scriptNatsAuth({ FORECOURT_PARTICIPANT: "alice" }, root)).toEqual({ user: "admin", password: "default-pw" });
  write(".data/participant-alice/credentials", "alice-pw");
  expect(scriptNatsAuth({ FORECOURT_PARTICIPANT: "alice" }, root)).toEqual({ user: "admin", password: "alice-pw" });
  write("elsewhere", "elsewhere-pw");
  expect(scriptNatsAuth({ CREDENTIALS_DIR: "elsewhere", FORECOURT_PARTICIPANT: "alice" }, root)).toEqual({ user: "admin", password: "elsewhere-pw" });
  expect(scriptNatsAuth({ NATS_USER: "inspector", NATS_PASSWORD: "pw" }, root)).toEqual({ user: "inspector", password: "pw" });
  expect(() => scriptNatsAuth({ NATS_USER: "inspector" }, root)).toThrow("NATS_USER is set but NATS_PASSWORD is not");
});

test("the inspector's context line names the server, the user and its password", () => {
  expect(inspectorContextCommand("nats://127.0.0.1:4222", "s3cret")).toBe("nats context save forecourt-inspector --server nats://127.0.0.1:4222 --user inspector --password s3cret");
});
