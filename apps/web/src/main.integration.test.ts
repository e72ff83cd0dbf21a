import { afterAll, beforeAll, expect, test } from "bun:test";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { freePort, startApp, startNatsServer, waitFor, type AppProcess, type TestNatsServer } from "@forecourt/shared/testing";

let server: TestNatsServer;
let nc: NatsConnection;
let web: AppProcess;
let base: string;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  const port = await freePort();
  base = `127.0.0.1:${port}`;
  web = await startApp("apps/web/src/main.ts", { NATS_URL: server.url, WEB_PORT: String(port), API_PUBLIC_URL: "http://cars.example:8080" });
});

afterAll(async () => {
  await web?.kill();
  await nc?.close();
  await server?.dispose();
});

test("GET / serves the page, and its script is bundled TypeScript", async () => {
  const page = await fetch(`http://${base}/`);
  expect(page.headers.get("content-type")).toContain("text/html");
  const html = await page.text();
  expect(html).toContain("<title>Forecourt Live</title>");
  expect(html).toContain('src="/app.js"');
  const script = await fetch(`http://${base}/app.js`);
  expect(script.headers.get("content-type")).toContain("javascript");
  const js = await script.text();
  expect(js).toContain("NEW VEHICLE!");
  expect(js).not.toContain("import type");
  expect((await fetch(`http://${base}/styles.css`)).status).toBe(200);
});

test("the web app is the NATS micro service forecourt-web, counting its sockets", async () => {
  const ws = new WebSocket(`ws://${base}/ws`);
  const welcome = await new Promise<Record<string, unknown>>((resolve) => (ws.onmessage = (e) => resolve(JSON.parse(String(e.data)))));
  expect(welcome).toMatchObject({ type: "welcome", apiBaseUrl: "http://cars.example:8080" });
  const stats = await waitFor(async () => {
    const reply = await nc.request("$SRV.STATS.forecourt-web", undefined, { timeout: 1_000 });
    const body = JSON.parse(new TextDecoder().decode(reply.data)) as { name: string; endpoints: { data: Record<string, number> }[] };
    return body.endpoints[0]?.data.socketsOpen === 1 ? body : undefined;
  }, { what: "stats showing the open socket" });
  expect(stats.name).toBe("forecourt-web");
  expect(stats.endpoints[0]!.data).toMatchObject({ socketsOpen: 1, socketsDropped: 0 });
  ws.close();
});

// Bun's client takes headers; the DOM typings the page needs do not know that constructor.
const BunWebSocket = WebSocket as unknown as new (url: string, options?: Bun.WebSocketOptions) => WebSocket;

/** What a page from `origin` gets on /ws: the welcome frame's type, or "refused" when the handshake fails. */
async function connectFrom(origin: string): Promise<string> {
  const ws = new BunWebSocket(`ws://${base}/ws`, { headers: { origin } });
  try {
    return await new Promise<string>((resolve) => {
      ws.onmessage = (e) => resolve(JSON.parse(String(e.data)).type);
      ws.onerror = () => resolve("refused");
    });
  } finally {
    ws.close();
  }
}

test("by default the feed takes pages served from this app's own origin, by any loopback name, and refuses others", async () => {
  const port = base.split(":")[1];
  expect(await connectFrom(`http://127.0.0.1:${port}`)).toBe("welcome");
  expect(await connectFrom(`http://localhost:${port}`)).toBe("welcome");
  expect(await connectFrom("http://evil.example")).toBe("refused");
  expect(await connectFrom(`http://127.0.0.1:${Number(port) + 1}`)).toBe("refused");
  const csp = (await fetch(`http://${base}/`)).headers.get("content-security-policy");
  expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port};`);
});

test("SIGTERM with sockets open stops the app cleanly and closes them", async () => {
  const ws = new WebSocket(`ws://${base}/ws`);
  await new Promise((resolve) => (ws.onopen = resolve));
  const closed = new Promise<number>((resolve) => (ws.onclose = (e) => resolve(e.code)));
  expect(await web.kill("SIGTERM")).toBe(0);
  expect(await closed).toBeGreaterThan(0);
});
