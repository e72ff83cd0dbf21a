import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, waitFor } from "@forecourt/shared/testing";
import { loadRoster } from "./hub/roster.ts";

const root = join(import.meta.dir, "..");
const dataDir = join(mkdtempSync(join(tmpdir(), "forecourt-hub-cli-")), "hub");
afterAll(() => rmSync(join(dataDir, ".."), { recursive: true, force: true }));

async function hub(args: string[], env: Record<string, string> = {}) {
  const proc = Bun.spawn(["bun", "scripts/hub.ts", ...args], { cwd: root, env: { ...process.env, HUB_DATA_DIR: dataDir, ...env }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

test("hub add puts a participant on the roster and prints the one command it runs to join", async () => {
  const result = await hub(["add", "alice"], { HOST: "127.0.0.1", HUB_LEAF_PORT: "7999" });
  expect(result.code).toBe(0);
  const { password } = loadRoster(dataDir).participants.find((p) => p.name === "alice")!;
  expect(result.stdout).toContain(`bun run dev --join nats-leaf://alice:${password}@127.0.0.1:7999 --as alice`);
  expect(result.stdout).toContain("participant alice added");
  const again = await hub(["add", "alice"]);
  expect(again.stdout).toContain("already on the roster");
}, 30_000);

test("a bad name is one line on stderr and exit 1; a wrong command or argument count is exit 2", async () => {
  const bad = await hub(["add", "Al Ice"]);
  expect(bad.code).toBe(1);
  expect(bad.stderr.trim()).toBe('hub: participant name must be 1-20 lowercase letters, digits and hyphens (a-z, 0-9, -), got "Al Ice"');
  expect((await hub(["add", "x".repeat(21)])).code).toBe(1);
  expect((await hub(["add"])).code).toBe(2);
  expect((await hub(["add", "a", "b"])).code).toBe(2);
  const unknown = await hub(["remove", "alice"]);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toStartWith('hub: unknown command "remove"');
}, 30_000);

test("bun run hub serves its status page listing the roster, and Ctrl-C stops it and its nats-server", async () => {
  const port = await freePort();
  const env = { ...process.env, HUB_DATA_DIR: dataDir, HUB_PORT: String(port), HUB_LEAF_PORT: String(await freePort()), HUB_NATS_PORT: String(await freePort()), HUB_MONITOR_PORT: String(await freePort()) };
  const proc = Bun.spawn(["bun", "scripts/hub.ts"], { cwd: root, env, stdout: "pipe", stderr: "pipe" });
  let output = "";
  void (async () => {
    for await (const chunk of proc.stdout) output += new TextDecoder().decode(chunk);
  })();
  try {
    await waitFor(() => output.includes("Forecourt hub is running"), { timeoutMs: 20_000, what: "the hub to start" });
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await page.text()).toContain("<td>alice</td><td class=\"down\">down</td>");
    const status = await (await fetch(`http://127.0.0.1:${port}/status.json`)).json();
    expect(status.participants.map((p: { name: string }) => p.name)).toEqual(["alice"]);
  } finally {
    proc.kill("SIGINT");
    expect(await proc.exited).toBe(0);
  }
  expect(await fetch(`http://127.0.0.1:${env.HUB_MONITOR_PORT}/healthz`).then(() => "up", () => "down")).toBe("down");
}, 40_000);
