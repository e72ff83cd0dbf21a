import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { startSecuredNatsServer, type SecuredNatsServer } from "@forecourt/shared/testing";
import type { NatsConnection } from "@nats-io/transport-node";
import { startTestApi, type TestApi } from "../apps/api/src/test-support.ts";
import { setupJetStream } from "./setup/jetstream-setup.ts";

const ROOT = join(import.meta.dir, "..");
let nats: SecuredNatsServer;
let admin: NatsConnection;
let api: TestApi;

beforeAll(async () => {
  nats = await startSecuredNatsServer();
  admin = await nats.connect("admin");
  await setupJetStream(admin);
  // The API as in production, but in-process, connected as admin only so the test can add its own dealer.
  api = await startTestApi(nats.url, [], {}, nats.auth("admin"));
});
afterAll(async () => {
  await api?.close();
  await admin?.close();
  await nats?.dispose();
});

async function dealers(env: Record<string, string>, ...args: string[]) {
  const proc = Bun.spawn(["bun", "scripts/dealers.ts", ...args], { cwd: ROOT, env: { ...process.env, CREDENTIALS_DIR: "/nonexistent", ...env }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

const post = (key: string, registration: string) => api.request("POST", "/api/vehicles", { registration, modelCode: "ford-fiesta", color: "Red", year: 2019 }, { authorization: `Bearer ${key}` });

test("add prints a key once that the API takes; list shows the dealer; revoke stops the key at the next request", async () => {
  const asAdmin = nats.env("admin");
  const added = await dealers(asAdmin, "add", "autobarn");
  expect(added).toMatchObject({ code: 0, stderr: "" });
  const key = added.stdout.trim().split("\n").at(-1)!;
  expect(key).toMatch(/^fck_autobarn_\S{43}$/);
  expect((await post(key, "CLI1ABC")).status).toBe(201);

  const again = await dealers(asAdmin, "add", "autobarn");
  expect(again).toMatchObject({ code: 1, stdout: "" });
  expect(again.stderr.trim()).toBe("dealers: dealer autobarn already exists with a key; revoke it first to issue a new one");

  const listed = await dealers(asAdmin, "list", "--json");
  const rows = listed.stdout.trim().split("\n").map((line) => JSON.parse(line));
  expect(rows.find((r) => r.name === "autobarn")).toMatchObject({ name: "autobarn", status: "active" });
  // The secret is the key's last 43 characters (base64url, which may itself contain "_").
  expect(listed.stdout).not.toContain(key.slice(-43));
  expect((await dealers(asAdmin, "list")).stdout).toMatch(/^NAME\s+STATUS\s+ADDED\s+REVOKED\nautobarn\s+active\s+\d{4}-/m);

  expect((await dealers(asAdmin, "revoke", "autobarn")).stdout.trim()).toBe("revoked dealer autobarn: its key no longer works");
  expect((await post(key, "CLI2ABC")).status).toBe(401);
  expect((await dealers(asAdmin, "list", "--json")).stdout).toContain('"status":"revoked"');
  expect((await dealers(asAdmin, "revoke", "autobarn")).stderr.trim()).toBe("dealers: no dealer autobarn with a key to revoke");
}, 30_000);

test("only admin may manage dealers; bad arguments are one usage line", async () => {
  const refused = await dealers(nats.env("inspector"), "add", "mallory");
  expect(refused.code).toBe(1);
  expect(refused.stderr.trim()).toBe("dealers: NATS user inspector may not manage dealers; run as admin");
  const anonymous = await dealers({ NATS_URL: nats.url }, "list");
  expect(anonymous.code).toBe(1);
  expect(anonymous.stderr.trim()).toBe(`dealers: NATS at ${nats.url} refused anonymous: set NATS_USER=admin and NATS_PASSWORD (bun run dev keeps it in .data/credentials/admin.password)`);
  const usage = await dealers(nats.env("admin"), "add", "Mallory Motors");
  expect(usage.code).toBe(2);
  expect(usage.stderr.trim()).toBe('dealers: a dealer name is 1 to 32 lowercase letters, digits and inner dashes, got "Mallory Motors" (usage: bun run dealers add <name> | list [--json] | revoke <name>)');
}, 30_000);
