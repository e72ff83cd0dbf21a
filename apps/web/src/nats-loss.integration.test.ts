import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { freePort, startApp, startNatsServer, waitFor, type AppProcess, type TestNatsServer } from "@forecourt/shared/testing";
import { CLOSE_TRY_AGAIN, type ServerMessage } from "./protocol.ts";

let nats: TestNatsServer;
let web: AppProcess;
let port: number;

beforeAll(async () => {
  nats = await startNatsServer();
  port = await freePort();
  web = await startApp(join(import.meta.dir, "main.ts"), { NATS_URL: nats.url, WEB_PORT: String(port) });
});
afterAll(async () => {
  await web?.kill();
  await nats?.dispose();
});

async function open() {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  const messages: ServerMessage[] = [];
  ws.onmessage = (event) => messages.push(JSON.parse(String(event.data)));
  const closed = new Promise<number>((resolve) => (ws.onclose = (event) => resolve(event.code)));
  await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
  ws.send(JSON.stringify({ type: "subscribe", manufacturer: null, after: null }));
  return { ws, messages, closed };
}

const ready = async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status;

test("a feed that loses NATS closes its sockets with 1013, refuses new ones until NATS is back, and says not ready meanwhile", async () => {
  const page = await open();
  await waitFor(() => page.messages.some((m) => m.type === "subscribed"), { what: "subscribed" });
  await nats.stop();
  expect(await page.closed).toBe(CLOSE_TRY_AGAIN);
  await waitFor(async () => (await ready()) === 503, { what: "not ready" });
  const refused = await open().catch(() => undefined);
  expect(refused && (await refused.closed)).toBe(CLOSE_TRY_AGAIN);

  await nats.start();
  await waitFor(async () => (await ready()) === 200, { timeoutMs: 15_000, what: "ready again" });
  const again = await open();
  await waitFor(() => again.messages.some((m) => m.type === "subscribed"), { what: "a new page subscribed" });
  again.ws.close();
}, 40_000);
