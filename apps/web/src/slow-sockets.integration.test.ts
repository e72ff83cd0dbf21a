import { afterAll, beforeAll, expect, test } from "bun:test";
import { createConnection, type Socket } from "node:net";
import { join } from "node:path";
import { DEFAULT_PARTICIPANT, encodeEvent, vehicleSubject } from "@forecourt/shared/contracts";
import { freePort, startApp, startNatsServer, waitFor, type AppProcess, type TestNatsServer } from "@forecourt/shared/testing";
import { jetstream } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { ACK_AFTER_MS, ACK_EVERY_FRAMES } from "./page/connection.ts";
import { CLOSE_SLOW_CONSUMER, type ServerMessage } from "./protocol.ts";
import type { RelayStats } from "./relay-stats.ts";

const STALLED = 200;
const CARS = 3_000;
const MAX_UNACKED = 2_000;

let nats: TestNatsServer;
let nc: NatsConnection;
let web: AppProcess;
let port: number;
const sockets: Socket[] = [];
/** Everything each stalled socket received, from the handshake's answer on. */
const received = new Map<Socket, Buffer[]>();

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  port = await freePort();
  web = await startApp(join(import.meta.dir, "main.ts"), {
    NATS_URL: nats.url,
    WEB_PORT: String(port),
    WEB_MAX_SOCKETS_PER_CLIENT: "1000",
    WEB_MAX_UNACKED: String(MAX_UNACKED),
    WEB_SLOW_SOCKET_MS: "3000",
    LOG_LEVEL: "warn",
  }, { waitReady: false });
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.status === 200, { timeoutMs: 20_000, what: "the web app" });
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await web?.kill();
  await nc?.close();
  await nats?.dispose();
});

const stats = async (): Promise<RelayStats> => (await nc.request("forecourt.web.stats", "", { timeout: 2_000 })).json<RelayStats>();

/** A socket that does the WebSocket handshake by hand, subscribes to every make, and never reads again. */
async function stalledSocket(): Promise<Socket> {
  const socket = createConnection({ host: "127.0.0.1", port });
  sockets.push(socket);
  const chunks: Buffer[] = [];
  received.set(socket, chunks);
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(
    "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
  );
  await waitFor(() => Buffer.concat(chunks).includes("\r\n\r\n"), { intervalMs: 5, what: "the handshake's answer" });
  // Client frames are masked (RFC 6455 §5.3); a zero mask keeps the payload readable.
  const payload = Buffer.from(JSON.stringify({ type: "subscribe", manufacturer: null, after: null }));
  socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length, 0, 0, 0, 0]), payload]));
  socket.pause();
  return socket;
}

/** Reads what the server left in the socket and returns its close frame's status code. */
function closeCodeOf(socket: Socket): Promise<number | undefined> {
  const chunks = received.get(socket)!;
  const code = new Promise<number | undefined>((resolve) => {
    socket.once("close", () => resolve(closeFrameCode(Buffer.concat(chunks))));
  });
  socket.resume();
  return code;
}

/** Walks the server's (unmasked) frames to its close frame; the handshake's HTTP answer comes first. */
function closeFrameCode(data: Buffer): number | undefined {
  let at = data.indexOf("\r\n\r\n") + 4;
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

/** A page as the browser runs it: reads everything and acks as connection.ts does; records each frame's delay. */
async function healthyPage() {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  const seqs = new Set<number>();
  const delays: number[] = [];
  let applied = 0;
  let unacked = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ack = () => {
    clearTimeout(timer);
    timer = undefined;
    unacked = 0;
    ws.send(JSON.stringify({ type: "ack", seq: applied }));
  };
  let closed: number | undefined;
  ws.onclose = (event) => (closed = event.code);
  ws.onmessage = (event) => {
    const message = JSON.parse(String(event.data)) as ServerMessage;
    if (message.type !== "vehicle") return;
    seqs.add(message.seq);
    delays.push(Date.now() - Date.parse(message.publishedAt));
    applied = Math.max(applied, message.seq);
    if (++unacked >= ACK_EVERY_FRAMES) ack();
    else timer ??= setTimeout(ack, ACK_AFTER_MS);
  };
  await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
  ws.send(JSON.stringify({ type: "subscribe", manufacturer: null, after: null }));
  return { seqs, delays, closed: () => closed, close: () => ws.close() };
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

test("200 sockets that never read are all closed with 4008 after WEB_MAX_UNACKED frames, while a page that acks keeps up with every car", async () => {
  const page = await healthyPage();
  const stalled = await Promise.all(Array.from({ length: STALLED }, () => stalledSocket()));
  await waitFor(async () => (await stats()).socketsOpen === STALLED + 1, { what: "every socket open" });

  const js = jetstream(nc);
  const listedAt = new Date().toISOString();
  for (let i = 0; i < CARS; i += 50) {
    await Promise.all(
      Array.from({ length: 50 }, (_, k) => {
        const registration = `SL${String(i + k).padStart(5, "0")}`;
        const car = { registration, manufacturerCode: "ford", manufacturerName: "Ford", modelCode: "ford-fiesta", modelName: "Fiesta", color: "Blue", year: 2015, listedAt };
        return js.publish(vehicleSubject("listed", "ford", "ford-fiesta", DEFAULT_PARTICIPANT), encodeEvent("listed", car));
      }),
    );
    await Bun.sleep(50);
  }
  await waitFor(() => page.seqs.size === CARS, { timeoutMs: 30_000, what: () => `the healthy page to get all ${CARS} cars (has ${page.seqs.size})` });
  const dropped = await waitFor(async () => {
    const now = await stats();
    return now.socketsDropped >= STALLED ? now : undefined;
  }, { timeoutMs: 20_000, what: `${STALLED} sockets dropped` });
  expect(dropped.socketsDropped).toBe(STALLED);
  expect(dropped.socketsOpen).toBe(1);
  expect(page.closed()).toBeUndefined();

  const codes = await Promise.all(stalled.map(closeCodeOf));
  expect(codes.filter((code) => code === CLOSE_SLOW_CONSUMER)).toHaveLength(STALLED);
  expect(web.logs.filter((line) => line.msg === "slow socket dropped" && String(line.reason).endsWith("frames not acknowledged in time"))).toHaveLength(STALLED);
  console.log(
    `healthy page beside ${STALLED} stalled sockets: ${CARS} cars, delivery delay p50 ${percentile(page.delays, 0.5)} ms, p99 ${percentile(page.delays, 0.99)} ms, max ${Math.max(...page.delays)} ms`,
  );
  page.close();
}, 120_000);
