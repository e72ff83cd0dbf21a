/**
 * `bun scripts/link.ts` as a person runs it: a `proxy` process in front of an echo server, then `set`, `hold`, `cut`,
 * `restore` and `status` against its control API, and one line on stderr for every bad argument.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { connect, createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import type { LinkStatus } from "@forecourt/link-shaper";
import { freePort, waitFor } from "@forecourt/shared/testing";

const root = join(import.meta.dir, "..");
let echo: Server;
let proxy: ReturnType<typeof Bun.spawn<"ignore", "pipe", "pipe">>;
let proxyOut = "";
const listenPort = await freePort();
const controlPort = await freePort();
const control = `127.0.0.1:${controlPort}`;

async function link(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = Bun.spawn(["bun", "scripts/link.ts", ...args], { cwd: root, env: { ...process.env, LINK_CONTROL: "", ...env }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

async function statusJson(): Promise<LinkStatus> {
  const result = await link(["status", "--json", "--control", control]);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as LinkStatus;
}

function openClient(): Promise<{ socket: Socket; received: () => number; closed: () => boolean }> {
  return new Promise((resolve, reject) => {
    let received = 0;
    let closed = false;
    const socket = connect({ host: "127.0.0.1", port: listenPort });
    socket.on("data", (chunk) => (received += chunk.length));
    socket.on("end", () => (closed = true));
    socket.on("close", () => (closed = true));
    socket.on("error", () => {});
    socket.once("connect", () => resolve({ socket, received: () => received, closed: () => closed }));
    socket.once("error", reject);
  });
}

beforeAll(async () => {
  echo = createServer((socket) => {
    socket.on("data", (chunk) => socket.write(chunk));
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
  const echoPort = (echo.address() as { port: number }).port;
  proxy = Bun.spawn(["bun", "scripts/link.ts", "proxy", "--listen", `127.0.0.1:${listenPort}`, "--to", `127.0.0.1:${echoPort}`, "--control", control], {
    cwd: root,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  void (async () => {
    for await (const chunk of proxy.stdout) proxyOut += new TextDecoder().decode(chunk);
  })();
  await waitFor(() => proxyOut.includes('"msg":"ready"') || proxy.exitCode !== null, { timeoutMs: 15_000, what: "the proxy to be ready" });
  expect(proxy.exitCode).toBeNull();
});

afterAll(async () => {
  if (proxy && proxy.exitCode === null) proxy.kill("SIGTERM");
  await proxy?.exited;
  await new Promise<void>((resolve) => echo.close(() => resolve()));
});

test("set changes the running proxy and prints the settings now in force", async () => {
  const result = await link(["set", "--latency", "150ms", "--jitter", "30ms", "--bandwidth", "256kbit", "--direction", "up", "--control", control]);
  expect(result.code).toBe(0);
  expect(result.stderr).toBe("");
  expect(result.stdout).toMatch(/^up \(client → target\)\s+150ms\s+30ms\s+256kbit/m);
  expect(result.stdout).toMatch(/^down \(target → client\)\s+0ms\s+0ms\s+off/m);
  const status = await statusJson();
  expect(status.settings.up).toEqual({ latencyMs: 150, jitterMs: 30, bandwidthBps: 256_000 });
  expect(status.settings.down).toEqual({ latencyMs: 0, jitterMs: 0, bandwidthBps: 0 });
  const reset = await link(["set", "--latency", "0", "--jitter", "0", "--bandwidth", "off"], { LINK_CONTROL: control });
  expect(reset.code).toBe(0);
});

test("status shows bytes through and queue depth; hold, restore and cut act on live connections", async () => {
  const client = await openClient();
  client.socket.write("x".repeat(1000));
  await waitFor(() => client.received() === 1000, { what: "the echo" });
  expect((await statusJson()).up.bytes).toBeGreaterThanOrEqual(1000);

  expect((await link(["hold", "--control", control])).stdout).toContain("outage: hold");
  client.socket.write("y".repeat(500));
  await waitFor(async () => (await statusJson()).up.queuedBytes === 500, { what: "500 bytes queued on hold" });
  const shown = await link(["status", "--control", control]);
  expect(shown.stdout).toMatch(/^up \(client → target\).*\s500 B$/m);
  expect(client.received()).toBe(1000);
  expect((await link(["restore", "--control", control])).stdout).toContain("outage: none");
  await waitFor(() => client.received() === 1500, { what: "the held bytes after restore" });

  const cut = await link(["cut", "--control", control]);
  expect(cut.stdout).toContain("outage: cut");
  await waitFor(() => client.closed(), { timeoutMs: 3_000, what: "the cut to close the connection" });
  await link(["restore", "--control", control]);
  const again = await openClient();
  again.socket.write("z");
  await waitFor(() => again.received() === 1, { what: "an echo after restore" });
  again.socket.destroy();
});

test("every bad argument gives one line on stderr and a non-zero exit", async () => {
  const closedPort = await freePort();
  const cases: { args: string[]; env?: Record<string, string>; code: number; says: string }[] = [
    { args: ["set", "--latency", "fast", "--control", control], code: 1, says: '--latency "fast" is not a duration in ms or s such as 150ms' },
    { args: ["set", "--bandwidth", "12parsecs", "--control", control], code: 1, says: '--bandwidth "12parsecs" is not a rate such as 64kbit, 256kbit, 1mbit' },
    { args: ["set", "--jitter", "-5ms", "--control", control], code: 1, says: '--jitter "-5ms" is not a duration' },
    { args: ["set", "--latency", "1ms", "--direction", "sideways"], code: 1, says: '--direction "sideways" is not up, down or both' },
    { args: ["status"], env: { LINK_CONTROL: "nowhere" }, code: 1, says: 'LINK_CONTROL "nowhere" is not host:port' },
    { args: ["status", "--control", `127.0.0.1:${closedPort}`], code: 1, says: `cannot reach a link shaper's control API at 127.0.0.1:${closedPort}` },
    { args: ["proxy", "--listen", `127.0.0.1:${listenPort}`, "--to", "7422", "--control", "off"], code: 1, says: `cannot listen on 127.0.0.1:${listenPort}` },
    { args: ["frobnicate"], code: 2, says: 'unknown command "frobnicate"' },
    { args: ["set", "--control", control], code: 2, says: "set needs at least one of --latency, --jitter, --bandwidth" },
    { args: ["proxy", "--to", "7422"], code: 2, says: "proxy needs --listen <addr> and --to <addr>" },
  ];
  for (const { args, env, code, says } of cases) {
    const result = await link(args, env);
    expect({ args, code: result.code }).toEqual({ args, code });
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(result.stderr).toStartWith("link: ");
    expect(result.stderr).toContain(says);
  }
  expect((await statusJson()).settings.up.latencyMs).toBe(0);
}, 60_000);

test("the proxy stops cleanly on SIGTERM", async () => {
  proxy.kill("SIGTERM");
  expect(await proxy.exited).toBe(0);
  expect(proxyOut).toContain('"msg":"stopped"');
});
