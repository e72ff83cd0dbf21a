import { expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { natsAuthOptions, natsIdentity, statusLogEntry } from "./nats.ts";

test("routine connection events are not logged; losing the server warns and getting it back informs", () => {
  expect(statusLogEntry({ type: "ping", pendingPings: 1 })).toBeUndefined();
  expect(statusLogEntry({ type: "update", added: ["b:4222"] })).toBeUndefined();
  expect(statusLogEntry({ type: "disconnect", server: "127.0.0.1:4222" })).toEqual({ level: "warn", fields: { status: "disconnect", server: "127.0.0.1:4222" } });
  expect(statusLogEntry({ type: "reconnect", server: "127.0.0.1:4222" })).toEqual({ level: "info", fields: { status: "reconnect", server: "127.0.0.1:4222" } });
  const error = new Error("permissions violation");
  expect(statusLogEntry({ type: "error", error })).toEqual({ level: "warn", fields: { status: "error", error } });
  expect(statusLogEntry({ type: "reconnecting" })).toEqual({ level: "debug", fields: { status: "reconnecting" } });
});

test("credentials become client options: user and password as they are, a .creds file as an authenticator", () => {
  expect(natsAuthOptions(undefined)).toEqual({});
  expect(natsAuthOptions({ user: "api", password: "pw" })).toEqual({ user: "api", pass: "pw" });
  const dir = mkdtempSync(join(tmpdir(), "forecourt-creds-"));
  try {
    const file = join(dir, "api.creds");
    writeFileSync(file, "-----BEGIN NATS USER JWT-----\neyJhbGciOi.x.y\n------END NATS USER JWT------\n");
    expect(typeof natsAuthOptions({ credsFile: file }).authenticator).toBe("function");
    expect(() => natsAuthOptions({ credsFile: join(dir, "missing.creds") })).toThrow(`NATS_CREDS names ${join(dir, "missing.creds")}, which cannot be read`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("logs name who a connection claims to be, never a password", () => {
  expect(natsIdentity({ user: "api", password: "secret" })).toBe("api");
  expect(natsIdentity({ credsFile: "/x/api.creds" })).toBe("creds /x/api.creds");
  expect(natsIdentity(undefined)).toBe("anonymous");
});
