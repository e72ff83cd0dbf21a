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

test("SIGTERM with sockets open stops the app cleanly and closes them", async () => {
  const ws = new WebSocket(`ws://${base}/ws`);
  await new Promise((resolve) => (ws.onopen = resolve));
  const closed = new Promise<number>((resolve) => (ws.onclose = (e) => resolve(e.code)));
  expect(await web.kill("SIGTERM")).toBe(0);
  expect(await closed).toBeGreaterThan(0);
});
