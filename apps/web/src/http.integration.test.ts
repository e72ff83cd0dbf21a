import { afterAll, beforeAll, expect, test } from "bun:test";
import { createConnection, type Socket } from "node:net";
import { jetstream, jetstreamManager, type JetStreamClient } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { encodeEvent, vehicleSubject, type VehicleEventKind, type VehiclePricedEvent } from "@forecourt/shared/contracts";
import { createLogger, ensureStreams } from "@forecourt/shared/platform";
import { startNatsServer, waitFor, type TestNatsServer } from "@forecourt/shared/testing";
import { createHttp, type HttpDeps } from "./http.ts";
import { CLOSE_SLOW_CONSUMER, CLOSE_TOO_MANY_SOCKETS, CLOSE_TRY_AGAIN, type HubStatus, type ServerMessage } from "./protocol.ts";
import { createRelayStats, type RelayStats } from "./relay-stats.ts";

const PAGE_ORIGIN = "http://cars.example:8080";
let server: TestNatsServer;
let nc: NatsConnection;
let js: JetStreamClient;
const stops: (() => unknown)[] = [];
const silent = createLogger({ service: "web-test", level: "error", write: () => {} });

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  js = jetstream(nc);
  await ensureStreams(await jetstreamManager(nc), "local");
});

afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  await nc?.close();
  await server?.dispose();
});

async function startWeb(overrides: Partial<HttpDeps> = {}): Promise<{ url: string; stats: RelayStats }> {
  const stats = createRelayStats();
  const app = createHttp({
    nc,
    js,
    jsm: await jetstreamManager(nc),
    log: silent,
    assets: { html: "<!doctype html>", js: "", css: "" },
    stats,
    manufacturers: () => [{ code: "ford", name: "Ford" }],
    apiPublicUrl: "http://127.0.0.1:3000",
    resumeWindow: 1000,
    socketBufferBytes: 1024 * 1024,
    slowSocketMs: 5_000,
    allowedOrigins: [PAGE_ORIGIN],
    maxSocketsPerClient: 50,
    maxSockets: 5_000,
    participant: "local",
    ...overrides,
  }).listen({ hostname: "127.0.0.1", port: 0 });
  stops.push(() => app.stop(true));
  return { url: `ws://127.0.0.1:${app.server!.port}/ws`, stats };
}

interface Client {
  messages: ServerMessage[];
  vehicles(registrationPrefix: string): Extract<ServerMessage, { type: "vehicle" }>[];
  /** Resolves once at least `count` vehicle frames for the prefix have arrived. */
  vehiclesAtLeast(registrationPrefix: string, count: number): Promise<Extract<ServerMessage, { type: "vehicle" }>[]>;
  send(frame: unknown): void;
  next(type: ServerMessage["type"], after?: number): Promise<ServerMessage>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

// Bun's client takes headers; the DOM typings the page needs do not know that constructor.
const BunWebSocket = WebSocket as unknown as new (url: string, options?: Bun.WebSocketOptions) => WebSocket;

/** Opens a socket as a page from `origin` would (no Origin header when omitted, as tools connect). */
async function openClient(url: string, origin?: string): Promise<Client> {
  const ws = new BunWebSocket(url, origin ? { headers: { origin } } : {});
  const messages: ServerMessage[] = [];
  ws.onmessage = (event) => messages.push(JSON.parse(String(event.data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (ws.onclose = (e) => resolve({ code: e.code, reason: e.reason })));
  await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
  stops.push(() => ws.close());
  const vehicles = (prefix: string) =>
    messages.filter((m): m is Extract<ServerMessage, { type: "vehicle" }> => m.type === "vehicle" && m.vehicle.registration.startsWith(prefix));
  return {
    messages,
    vehicles,
    vehiclesAtLeast: (prefix, count) =>
      waitFor(() => (vehicles(prefix).length >= count ? vehicles(prefix) : undefined), { what: `${count} vehicle frames for ${prefix}`, timeoutMs: 20_000 }),
    send: (frame) => ws.send(typeof frame === "string" ? frame : JSON.stringify(frame)),
    next: (type, after = 0) => waitFor(() => messages.slice(after).find((m) => m.type === type), { what: `a ${type} frame` }),
    closed,
    close: () => ws.close(),
  };
}

function body(registration: string, manufacturerCode = "ford", extra: Partial<VehiclePricedEvent> = {}): VehiclePricedEvent {
  const modelCode = manufacturerCode === "ford" ? "ford-fiesta" : "volkswagen-golf";
  return {
    registration,
    manufacturerCode,
    manufacturerName: manufacturerCode === "ford" ? "Ford" : "Volkswagen",
    modelCode,
    modelName: manufacturerCode === "ford" ? "Fiesta" : "Golf",
    color: "Blue",
    year: 2015,
    listedAt: new Date().toISOString(),
    price: 7450,
    currencyCode: "GBP",
    pricedAt: new Date().toISOString(),
    pricedBy: "local",
    ...extra,
  };
}

async function publish(kind: VehicleEventKind, event: VehiclePricedEvent): Promise<number> {
  const { price, currencyCode, pricedAt, pricedBy, ...listed } = event;
  const payload = kind === "priced" ? event : listed;
  const ack = await js.publish(vehicleSubject(kind, event.manufacturerCode, event.modelCode, "local"), encodeEvent(kind, payload as VehiclePricedEvent));
  return ack.seq;
}

const subscribe = (client: Client, manufacturer: string | null = null, after: number | null = null) => {
  const mark = client.messages.length;
  client.send({ type: "subscribe", manufacturer, after });
  return client.next("subscribed", mark);
};

test("a connected page gets a welcome, then each car's listed and priced events relayed from JetStream with their sequences", async () => {
  const { url, stats } = await startWeb();
  const client = await openClient(url);
  expect(await client.next("welcome")).toMatchObject({ type: "welcome", apiBaseUrl: "http://127.0.0.1:3000", manufacturers: [{ code: "ford", name: "Ford" }] });
  await subscribe(client);
  const listedSeq = await publish("listed", body("REL1AAA"));
  const pricedSeq = await publish("priced", body("REL1AAA"));
  const seen = await client.vehiclesAtLeast("REL1", 2);
  expect(seen.map((m) => [m.seq, m.event, m.backlog])).toEqual([
    [listedSeq, "listed", false],
    [pricedSeq, "priced", false],
  ]);
  expect(seen[1]!.vehicle).toMatchObject({ registration: "REL1AAA", manufacturerName: "Ford", modelName: "Fiesta", price: 7450, currencyCode: "GBP" });
  expect(stats.messagesRelayed).toBeGreaterThanOrEqual(2);
  expect(stats.socketsOpen).toBe(1);
});

test("events that break the contract are counted and never relayed, and the next car still is", async () => {
  const { url, stats } = await startWeb();
  const client = await openClient(url);
  await subscribe(client);
  const forged = [
    body("BAD1AAA", "ford", { currencyCode: "<script>alert(1)</script>" }),
    body("BAD1AAA", "ford", { price: -5 }),
    body("BAD1AAA", "ford", { price: 999_999_999 }),
    body("BAD1AAA", "ford", { pricedAt: "2099-01-01T00:00:00.000Z" }),
  ];
  for (const event of forged) await js.publish(vehicleSubject("priced", "ford", "ford-fiesta", "local"), JSON.stringify(event));
  const next = await publish("listed", body("GOOD1AA"));
  const [relayed] = await client.vehiclesAtLeast("GOOD1", 1);
  expect(relayed!.seq).toBe(next);
  expect(client.vehicles("BAD1")).toEqual([]);
  expect(stats.invalidEvents).toBe(forged.length);
});

test("two web instances each relay the same events to their own pages", async () => {
  const [a, b] = await Promise.all([startWeb(), startWeb()]);
  const [pageA, pageB] = await Promise.all([openClient(a.url), openClient(b.url)]);
  await Promise.all([subscribe(pageA), subscribe(pageB)]);
  const seq = await publish("listed", body("TWO1AAA"));
  for (const page of [pageA, pageB]) {
    const [event] = await page.vehiclesAtLeast("TWO1", 1);
    expect(event!.seq).toBe(seq);
  }
  const welcomes = [pageA, pageB].map((p) => p.messages.find((m) => m.type === "welcome") as Extract<ServerMessage, { type: "welcome" }>);
  expect(welcomes[0]!.instance).not.toBe(welcomes[1]!.instance);
});

test("a fresh page gets recent history as backlog, and a resuming page gets only what it missed", async () => {
  const { url } = await startWeb();
  const first = await publish("listed", body("RES1AAA"));
  await publish("priced", body("RES1AAA"));
  const missed = await publish("listed", body("RES1BBB"));

  const fresh = await openClient(url);
  await subscribe(fresh);
  const history = await fresh.vehiclesAtLeast("RES1", 3);
  expect(history.every((m) => m.backlog)).toBe(true);

  const resumed = await openClient(url);
  const subscribed = await subscribe(resumed, null, missed - 1);
  expect(subscribed).toMatchObject({ fromSeq: missed, truncated: false });
  const later = await publish("priced", body("RES1BBB"));
  const got = await resumed.vehiclesAtLeast("RES1", 2);
  expect(got.map((m) => m.seq)).toEqual([missed, later]);
  expect(got.map((m) => m.backlog)).toEqual([false, false]);
  expect(got[0]!.seq).toBeGreaterThan(first);
});

test("a page resuming from before the window gets the window and is told events are missing", async () => {
  const { url } = await startWeb({ resumeWindow: 3 });
  const old = await publish("listed", body("WIN1AAA"));
  for (const reg of ["WIN1BBB", "WIN1CCC", "WIN1DDD"]) await publish("listed", body(reg));
  const client = await openClient(url);
  const subscribed = await subscribe(client, null, old - 1);
  expect(subscribed).toMatchObject({ fromSeq: old + 1, truncated: true });
  const got = await client.vehiclesAtLeast("WIN1", 3);
  expect(got.map((m) => m.vehicle.registration)).toEqual(["WIN1BBB", "WIN1CCC", "WIN1DDD"]);
});

test("the welcome names the stack's participant and its hub link, and a change of the link reaches every open page", async () => {
  let status: HubStatus = "disconnected";
  const listeners: ((s: HubStatus) => void)[] = [];
  const { url } = await startWeb({ participant: "alice", hubLink: { current: () => status, onChange: (l) => void listeners.push(l) } });
  const [one, two] = [await openClient(url), await openClient(url)];
  for (const client of [one, two]) expect(await client.next("welcome")).toMatchObject({ participant: "alice", hub: "disconnected" });
  status = "connected";
  for (const listener of listeners) listener(status);
  for (const client of [one, two]) expect(await client.next("hub")).toEqual({ type: "hub", hub: "connected" });
  const later = await openClient(url);
  expect(await later.next("welcome")).toMatchObject({ hub: "connected" });
});

test("outside a workshop the welcome says not-joined, and frames name the local participant as origin", async () => {
  const { url } = await startWeb();
  const client = await openClient(url);
  expect(await client.next("welcome")).toMatchObject({ participant: "local", hub: "not-joined" });
  await subscribe(client);
  await publish("listed", body("ORG1AAA"));
  await publish("priced", body("ORG1AAA"));
  const [listed, priced] = await client.vehiclesAtLeast("ORG1", 2);
  expect(listed).toMatchObject({ origin: "local" });
  expect(listed!.pricedBy).toBeUndefined();
  expect(priced).toMatchObject({ origin: "local", pricedBy: "local" });
});

test("a manufacturer filter is applied by the server: other makes never reach the page", async () => {
  const { url } = await startWeb();
  const client = await openClient(url);
  const subscribed = await subscribe(client, "volkswagen");
  const mark = (subscribed as Extract<ServerMessage, { type: "subscribed" }>).lastSeq;
  await publish("listed", body("FIL1FRD", "ford"));
  const vwSeq = await publish("listed", body("FIL1VWG", "volkswagen"));
  await publish("priced", body("FIL1FRD", "ford"));
  const vwPriced = await publish("priced", body("FIL1VWG", "volkswagen"));
  await waitFor(() => client.vehicles("FIL1").some((m) => m.seq === vwPriced), { what: "the Volkswagen price" });
  expect(client.vehicles("FIL1").filter((m) => m.seq > mark).map((m) => [m.vehicle.registration, m.seq])).toEqual([
    ["FIL1VWG", vwSeq],
    ["FIL1VWG", vwPriced],
  ]);
  expect(client.messages.some((m) => m.type === "vehicle" && m.vehicle.manufacturerCode !== "volkswagen")).toBe(false);
});

test("invalid client messages get an error frame and the socket stays usable", async () => {
  const { url, stats } = await startWeb();
  const client = await openClient(url);
  await client.next("welcome");
  const bad = ["{not json", "42", JSON.stringify({ type: "dance" }), JSON.stringify({ type: "subscribe", manufacturer: "ford.>" }), JSON.stringify({ type: "subscribe", after: -1 })];
  for (const frame of bad) {
    const mark = client.messages.length;
    client.send(frame);
    expect(await client.next("error", mark)).toMatchObject({ type: "error", code: "invalid-message" });
  }
  expect(stats.invalidClientMessages).toBe(bad.length);
  await subscribe(client);
  const mark = client.messages.length;
  client.send({ type: "ping" });
  expect(await client.next("pong", mark)).toEqual({ type: "pong" });
});

test("an oversized frame closes only the socket that sent it", async () => {
  const { url } = await startWeb();
  const [loud, quiet] = await Promise.all([openClient(url), openClient(url)]);
  await Promise.all([loud.next("welcome"), quiet.next("welcome")]);
  loud.send(JSON.stringify({ type: "ping", padding: "x".repeat(8192) }));
  expect((await loud.closed).code).toBe(1009);
  const mark = quiet.messages.length;
  quiet.send({ type: "ping" });
  expect(await quiet.next("pong", mark)).toEqual({ type: "pong" });
});

async function consumerCount(): Promise<number> {
  let count = 0;
  for await (const _ of await (await jetstreamManager(nc)).consumers.list("VEHICLES")) count++;
  return count;
}

test("pages that have caught up share one consumer per filter instead of one each", async () => {
  const { url } = await startWeb();
  const before = await consumerCount();
  const pages = await Promise.all(Array.from({ length: 20 }, () => openClient(url)));
  await Promise.all(pages.map((page) => subscribe(page)));
  await publish("listed", body("SHR1AAA"));
  await Promise.all(pages.map((page) => page.vehiclesAtLeast("SHR1", 1)));
  await waitFor(async () => (await consumerCount()) === before + 1, { what: "a single shared consumer" });
});

test("a page that joins while events flow gets every one of them in order, none twice", async () => {
  const { url } = await startWeb();
  const live = await openClient(url);
  await subscribe(live);
  const seqs: number[] = [];
  let joiner: Client | undefined;
  for (let i = 0; i < 120; i++) {
    seqs.push(await publish("listed", body(`JON${String(i).padStart(4, "0")}`)));
    if (i === 40) {
      joiner = await openClient(url);
      joiner.send({ type: "subscribe", manufacturer: null, after: seqs[9] });
    }
  }
  for (const page of [live, joiner!]) await page.vehiclesAtLeast("JON", page === live ? 120 : 110);
  expect(live.vehicles("JON").map((m) => m.seq)).toEqual(seqs);
  expect(joiner!.vehicles("JON").map((m) => m.seq)).toEqual(seqs.slice(10));
});

/** A WebSocket client that completes the handshake, subscribes, then stops reading: its TCP window fills. */
async function stalledClient(url: string): Promise<{ socket: Socket; closeCode: Promise<number | undefined> }> {
  const { port } = new URL(url);
  const socket = createConnection({ host: "127.0.0.1", port: Number(port) });
  stops.push(() => socket.destroy());
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(
    "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
  );
  await new Promise((resolve) => socket.once("data", resolve));
  // Client frames are masked (RFC 6455 §5.3); a zero mask keeps the payload readable.
  const payload = Buffer.from(JSON.stringify({ type: "subscribe", manufacturer: "volkswagen", after: null }));
  socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length, 0, 0, 0, 0]), payload]));
  socket.pause();
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  const closeCode = new Promise<number | undefined>((resolve) => socket.once("close", () => resolve(closeFrameCode(Buffer.concat(chunks)))));
  return { socket, closeCode };
}

/** Walks the server's (unmasked) frames and returns the status code of its close frame, if it sent one. */
function closeFrameCode(data: Buffer): number | undefined {
  let at = 0;
  while (at + 2 <= data.length) {
    const opcode = data[at]! & 0x0f;
    let length = data[at + 1]! & 0x7f;
    let header = 2;
    if (length === 126) (length = data.readUInt16BE(at + 2)), (header = 4);
    else if (length === 127) (length = Number(data.readBigUInt64BE(at + 2))), (header = 10);
    if (opcode === 0x8) return data.readUInt16BE(at + header);
    at += header + length;
  }
  return undefined;
}

test("a page that stops reading is closed with 4008 while another page still gets every event", async () => {
  const { url, stats } = await startWeb({ socketBufferBytes: 16 * 1024, slowSocketMs: 300 });
  const fast = await openClient(url);
  await subscribe(fast, "volkswagen");
  const stalled = await stalledClient(url);
  await waitFor(() => stats.socketsOpen === 2, { what: "both sockets" });
  // Big bodies fill the kernel's buffers quickly; 400 × 16 KiB is far beyond what loopback TCP buffers hold.
  const color = "Blue".padEnd(16 * 1024, " ");
  const count = 400;
  const acks = [];
  for (let i = 0; i < count; i++) acks.push(publish("listed", body(`SLO${String(i).padStart(4, "0")}`, "volkswagen", { color })));
  await Promise.all(acks);
  await fast.vehiclesAtLeast("SLO", count);
  await waitFor(() => stats.socketsDropped === 1, { what: "the stalled page dropped" });
  stalled.socket.resume();
  expect(await stalled.closeCode).toBe(CLOSE_SLOW_CONSUMER);
  expect(stats.socketsOpen).toBe(1);
  expect(new Set(fast.vehicles("SLO").map((m) => m.seq)).size).toBe(count);
}, 30_000);

/** The server's answer to a WebSocket handshake sent from `origin`: status, headers and body, read off the wire. */
async function handshake(url: string, origin: string): Promise<{ status: number; headers: Headers; body: string }> {
  const { port } = new URL(url);
  const socket = createConnection({ host: "127.0.0.1", port: Number(port) });
  stops.push(() => socket.destroy());
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(
    "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: ${origin}\r\n\r\n`,
  );
  const text = await new Promise<string>((resolve) => socket.once("data", (chunk: Buffer) => resolve(chunk.toString("latin1"))));
  socket.destroy();
  const [head, body = ""] = text.split("\r\n\r\n");
  const [statusLine, ...lines] = head!.split("\r\n");
  const headers = new Headers(lines.map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim()] as [string, string]));
  return { status: Number(statusLine!.split(" ")[1]), headers, body };
}

test("a page from an origin not allowed is refused at the handshake with 403; an allowed origin's page is welcomed", async () => {
  const { url, stats } = await startWeb();
  for (const origin of ["http://evil.example", "http://cars.example:8081", "null"]) {
    const refused = await handshake(url, origin);
    expect([origin, refused.status]).toEqual([origin, 403]);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(JSON.parse(refused.body)).toMatchObject({ status: 403, title: "Forbidden", instance: "/ws", detail: expect.stringContaining("WEB_ALLOWED_ORIGINS") });
  }
  expect(stats).toMatchObject({ socketsRefused: 3, socketsOpened: 0 });
  expect((await handshake(url, PAGE_ORIGIN)).status).toBe(101);
  const page = await openClient(url, PAGE_ORIGIN);
  expect(await page.next("welcome")).toMatchObject({ type: "welcome" });
});

test("past WEB_MAX_SOCKETS_PER_CLIENT an address's next socket is closed with 4029, until one of its sockets closes", async () => {
  const { url, stats } = await startWeb({ maxSocketsPerClient: 3 });
  const pages = await Promise.all([1, 2, 3].map(() => openClient(url, PAGE_ORIGIN)));
  await Promise.all(pages.map((page) => page.next("welcome")));
  const extra = await openClient(url, PAGE_ORIGIN);
  expect(await extra.closed).toEqual({ code: CLOSE_TOO_MANY_SOCKETS, reason: "too many sockets from one address (limit 3)" });
  expect(extra.messages).toEqual([]);
  expect(stats).toMatchObject({ socketsOpen: 3, socketsRefused: 1 });
  pages[0]!.close();
  await waitFor(() => stats.socketsOpen === 2, { what: "the closed socket released" });
  const again = await openClient(url, PAGE_ORIGIN);
  expect(await again.next("welcome")).toMatchObject({ type: "welcome" });
});

test("past WEB_MAX_SOCKETS the next socket is closed with 1013, try again later", async () => {
  const { url, stats } = await startWeb({ maxSockets: 2 });
  await Promise.all([1, 2].map(async () => (await openClient(url)).next("welcome")));
  const extra = await openClient(url);
  expect(await extra.closed).toEqual({ code: CLOSE_TRY_AGAIN, reason: "server at its limit of 2 sockets; try again later" });
  expect(stats).toMatchObject({ socketsOpen: 2, socketsRefused: 1 });
});

test("every answer of the web app carries the security headers, and the page may only load its own files and open its feed", async () => {
  const { url } = await startWeb();
  const http = url.replace("ws://", "http://").replace(/\/ws$/, "");
  const strict = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  const answers: [string, Headers][] = [];
  for (const path of ["/", "/?manufacturer=ford", "/app.js", "/styles.css", "/health/live", "/health/ready", "/nowhere"]) answers.push([path, (await fetch(`${http}${path}`)).headers]);
  answers.push(["/ws refused", (await handshake(url, "http://evil.example")).headers]);
  for (const [what, headers] of answers) {
    expect([what, headers.get("x-content-type-options"), headers.get("x-frame-options"), headers.get("referrer-policy")]).toEqual([what, "nosniff", "DENY", "no-referrer"]);
    const csp = headers.get("content-security-policy");
    if (what.startsWith("/?") || what === "/") {
      expect(csp).toBe(`default-src 'none'; base-uri 'none'; form-action 'none'; script-src 'self'; style-src 'self'; connect-src 'self' ws://cars.example:8080; frame-ancestors 'none'`);
    } else {
      expect([what, csp]).toEqual([what, strict]);
    }
  }
});

test("with a link shaper configured, the welcome tells the page its control address and the page may connect to it, and only then", async () => {
  const { url } = await startWeb({ linkControlUrl: "http://127.0.0.1:7501" });
  const http = url.replace("ws://", "http://").replace(/\/ws$/, "");
  expect((await fetch(`${http}/`)).headers.get("content-security-policy")).toContain("connect-src 'self' ws://cars.example:8080 http://127.0.0.1:7501;");
  const client = await openClient(url);
  expect(await client.next("welcome")).toMatchObject({ type: "welcome", linkControlUrl: "http://127.0.0.1:7501" });
  const plain = await startWeb();
  const plainClient = await openClient(plain.url);
  expect(await plainClient.next("welcome")).not.toHaveProperty("linkControlUrl");
});
