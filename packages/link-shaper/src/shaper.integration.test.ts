/**
 * The shaper on loopback, in front of a small echo server: latency, bandwidth, outages and mid-stream changes,
 * measured from the client's side. Timing bounds are the (±15 ms per direction, ±10 % of a cap) and use
 * medians, so one late timer on a busy machine does not decide a test.
 */
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { connect, createServer, type Server, type Socket } from "node:net";
import { waitFor } from "@forecourt/shared/testing";
import { startLinkShaper, type LinkShaper, type LinkShaperOptions } from "./shaper.ts";
import { changeFor, type SettingsChange } from "./settings.ts";

let echo: Server;
let echoPort: number;
const shapers: LinkShaper[] = [];
const peers: Peer[] = [];

beforeAll(async () => {
  echo = createServer({ allowHalfOpen: true }, (socket) => {
    socket.setNoDelay(true);
    socket.on("data", (chunk) => socket.write(chunk));
    socket.on("end", () => socket.end());
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
  echoPort = (echo.address() as { port: number }).port;
});

afterEach(async () => {
  for (const peer of peers.splice(0)) peer.socket.destroy();
  for (const shaper of shapers.splice(0)) await shaper.stop();
});

afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

async function shaper(options: Partial<LinkShaperOptions> = {}): Promise<LinkShaper> {
  const started = await startLinkShaper({ listen: "127.0.0.1:0", to: { host: "127.0.0.1", port: echoPort }, ...options });
  shapers.push(started);
  return started;
}

/** A client connection that keeps everything it receives, with the time each chunk came. */
class Peer {
  readonly chunks: { at: number; bytes: Buffer }[] = [];
  receivedBytes = 0;
  /** The shaper closed its side (FIN) or the socket is gone. */
  closed = false;
  ended = false;

  private constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on("data", (bytes: Buffer) => {
      this.chunks.push({ at: performance.now(), bytes });
      this.receivedBytes += bytes.length;
    });
    socket.on("end", () => {
      this.ended = true;
      this.closed = true;
    });
    socket.on("close", () => (this.closed = true));
    socket.on("error", () => {});
  }

  static open(port: number): Promise<Peer> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port, allowHalfOpen: true });
      socket.once("connect", () => {
        const peer = new Peer(socket);
        peers.push(peer);
        resolve(peer);
      });
      socket.once("error", reject);
    });
  }

  received(): Buffer {
    return Buffer.concat(this.chunks.map((c) => c.bytes));
  }

  /** One byte there and back: the round trip in ms. */
  async roundTrip(): Promise<number> {
    const before = this.receivedBytes;
    const start = performance.now();
    this.socket.write("p");
    await waitFor(() => this.receivedBytes > before, { intervalMs: 1, timeoutMs: 5_000, what: "the echo" });
    return this.chunks.at(-1)!.at - start;
  }

  untilReceived(bytes: number, timeoutMs = 30_000): Promise<boolean> {
    return waitFor(() => this.receivedBytes >= bytes, { intervalMs: 5, timeoutMs, what: `${bytes} bytes back (have ${this.receivedBytes})` });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function medianRoundTrip(peer: Peer, samples = 9): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) times.push(await peer.roundTrip());
  return median(times);
}

/** bit/s between the first chunk back and the last one within `windowMs` after it (the first chunk's bytes excluded). */
function measuredRate(peer: Peer, windowMs: number): number {
  const first = peer.chunks[0]!;
  const inWindow = peer.chunks.filter((c) => c.at > first.at && c.at <= first.at + windowMs);
  const last = inWindow.at(-1)!;
  const bytes = inWindow.reduce((n, c) => n + c.bytes.length, 0);
  return (bytes * 8) / ((last.at - first.at) / 1000);
}

test("100 ms of latency adds 100 ms ± 15 ms to a round trip for each direction it is set on", async () => {
  const link = await shaper();
  const peer = await Peer.open(link.listen.port);
  await medianRoundTrip(peer, 3); // warm up
  const base = await medianRoundTrip(peer);
  const added: Record<string, number> = {};
  for (const direction of ["up", "down", "both"] as const) {
    link.set(changeFor("both", { latencyMs: 0 }));
    link.set(changeFor(direction, { latencyMs: 100 }));
    added[direction] = (await medianRoundTrip(peer)) - base;
  }
  console.log(`latency 100ms: base round trip ${base.toFixed(2)} ms; added up ${added.up!.toFixed(1)} ms, down ${added.down!.toFixed(1)} ms, both ${added.both!.toFixed(1)} ms`);
  expect(Math.abs(added.up! - 100)).toBeLessThanOrEqual(15);
  expect(Math.abs(added.down! - 100)).toBeLessThanOrEqual(15);
  expect(Math.abs(added.both! - 200)).toBeLessThanOrEqual(30);
});

test("jitter spreads round trips around the latency without dropping below latency - jitter", async () => {
  const link = await shaper({ settings: changeFor("up", { latencyMs: 60, jitterMs: 40 }) });
  const peer = await Peer.open(link.listen.port);
  const times: number[] = [];
  for (let i = 0; i < 15; i++) times.push(await peer.roundTrip());
  console.log(`latency 60ms jitter 40ms up: round trips ${times.map((t) => t.toFixed(0)).join(" ")} ms`);
  // Never earlier than latency - jitter (less 1 ms of timer slack); a busy machine only makes trips later, so the
  // upper side is checked on the median.
  expect(Math.min(...times)).toBeGreaterThanOrEqual(19);
  expect(median(times)).toBeLessThanOrEqual(100);
  expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(10);
});

for (const direction of ["up", "down"] as const) {
  test(`a 256 kbit/s cap ${direction} measured over 2 s lands within 10 %`, async () => {
    const link = await shaper({ settings: changeFor(direction, { bandwidthBps: 256_000 }) });
    const peer = await Peer.open(link.listen.port);
    peer.socket.write(randomBytes(100_000)); // 3 s at the cap: the window never runs dry
    await waitFor(() => peer.chunks.length > 0 && performance.now() - peer.chunks[0]!.at > 2_050, { intervalMs: 20, timeoutMs: 10_000, what: "2 s of transfer" });
    const queued = link.status()[direction].queuedBytes;
    const rate = measuredRate(peer, 2_000);
    console.log(`bandwidth 256kbit ${direction}: measured ${(rate / 1000).toFixed(1)} kbit/s over 2 s (${queued} bytes still queued)`);
    expect(Math.abs(rate - 256_000) / 256_000).toBeLessThanOrEqual(0.1);
    expect(queued).toBeGreaterThan(0);
  });
}

test("changing every setting mid-stream loses, duplicates and reorders nothing (10 MB byte for byte)", async () => {
  const link = await shaper();
  const peer = await Peer.open(link.listen.port);
  const total = 10 * 1024 * 1024;
  const sent = randomBytes(total);
  let changes = 0;
  let seed = 7;
  const pick = <T>(values: T[]): T => values[(seed = (seed * 48_271) % 2_147_483_647) % values.length]!;
  const change = () => {
    const next: SettingsChange = {};
    for (const direction of ["up", "down"] as const) {
      next[direction] = { latencyMs: pick([0, 2, 10, 25]), jitterMs: pick([0, 5, 20]), bandwidthBps: pick([0, 100_000_000, 40_000_000, 20_000_000]) };
    }
    next.outage = pick(["none", "none", "none", "hold"]);
    link.set(next);
    changes += 1;
  };
  change();
  const changer = setInterval(change, 15);
  for (let offset = 0; offset < total; offset += 256 * 1024) peer.socket.write(sent.subarray(offset, offset + 256 * 1024));
  try {
    await peer.untilReceived(total, 60_000);
  } finally {
    clearInterval(changer);
  }
  link.set({ outage: "none" });
  await Bun.sleep(100);
  const received = peer.received();
  expect(received.length).toBe(total);
  expect(received.equals(sent)).toBe(true);
  const status = link.status();
  console.log(`10 MB echoed through ${changes} settings changes`);
  expect(changes).toBeGreaterThan(10);
  expect(status.up.bytes).toBe(total);
  expect(status.down.bytes).toBe(total);
  expect(status.up.queuedBytes + status.down.queuedBytes).toBe(0);
}, 90_000);

test("cut closes open connections and refuses new ones; restore accepts again", async () => {
  const link = await shaper();
  const before = await Peer.open(link.listen.port);
  await before.roundTrip();
  link.set({ outage: "cut" });
  await waitFor(() => before.closed, { timeoutMs: 2_000, what: "the open connection to close" });
  const during = await Peer.open(link.listen.port).catch(() => undefined);
  if (during) {
    during.socket.write("p");
    await waitFor(() => during.closed, { timeoutMs: 2_000, what: "a new connection to be closed" });
    expect(during.receivedBytes).toBe(0);
  }
  expect(link.status().connections).toMatchObject({ open: 0, refused: 1 });
  link.set({ outage: "none" });
  const after = await Peer.open(link.listen.port);
  expect(await after.roundTrip()).toBeLessThan(1_000);
  expect(link.status().connections).toMatchObject({ open: 1, accepted: 2, refused: 1 });
});

test("hold stalls both directions and restore releases everything in order", async () => {
  const link = await shaper({ settings: { down: { latencyMs: 20 } } });
  const peer = await Peer.open(link.listen.port);
  await peer.roundTrip();
  const already = peer.receivedBytes;
  link.set({ outage: "hold" });
  const sent = randomBytes(300_000);
  peer.socket.write(sent);
  await Bun.sleep(500);
  expect(peer.receivedBytes).toBe(already);
  expect(link.status().up.queuedBytes).toBe(sent.length);
  link.set({ outage: "none" });
  await peer.untilReceived(already + sent.length);
  expect(peer.received().subarray(already).equals(sent)).toBe(true);
  expect(peer.closed).toBe(false);
});

test("a long hold pushes back on the sender instead of buffering without bound", async () => {
  const queueLimitBytes = 256 * 1024;
  const link = await shaper({ queueLimitBytes, settings: { outage: "hold" } });
  const peer = await Peer.open(link.listen.port);
  const sent = randomBytes(16 * 1024 * 1024);
  peer.socket.write(sent);
  await Bun.sleep(1_000);
  const queued = link.status().up.queuedBytes;
  console.log(`hold with a ${queueLimitBytes}-byte queue limit: ${queued} bytes queued while the sender had 16 MiB to send`);
  expect(queued).toBeGreaterThan(0);
  expect(queued).toBeLessThan(queueLimitBytes + 1024 * 1024);
  link.set({ outage: "none" });
  await peer.untilReceived(sent.length);
  expect(peer.received().equals(sent)).toBe(true);
}, 60_000);

test("a half-close passes through after the bytes queued ahead of it", async () => {
  const link = await shaper({ settings: changeFor("both", { latencyMs: 50 }) });
  const peer = await Peer.open(link.listen.port);
  const sent = randomBytes(50_000);
  peer.socket.end(sent);
  await waitFor(() => peer.ended, { timeoutMs: 5_000, what: "the echo's end" });
  expect(peer.received().equals(sent)).toBe(true);
  await waitFor(() => link.status().connections.open === 0, { timeoutMs: 2_000, what: "the connection to be released" });
});

test("bytes and NATS messages through are counted per direction", async () => {
  const link = await shaper();
  const peer = await Peer.open(link.listen.port);
  const protocol = "PING\r\nPUB a.b 5\r\nhello\r\nPUB a.b _INBOX.x 11\r\nPUB a.b 3\r\n\r\nHPUB a.b 12 12\r\nNATS/1.0\r\n\r\n\r\n";
  peer.socket.write(protocol);
  await peer.untilReceived(protocol.length);
  const status = link.status();
  expect(status.up).toMatchObject({ bytes: protocol.length, messages: 3, queuedBytes: 0 });
  expect(status.down).toMatchObject({ bytes: protocol.length, messages: 3, queuedBytes: 0 });
  peer.socket.destroy();
  await waitFor(() => link.status().connections.open === 0, { timeoutMs: 2_000, what: "the connection to close" });
  expect(link.status().up.messages).toBe(3);
});

test("a target that cannot be reached closes the client's connection", async () => {
  const nowhere = createServer();
  await new Promise<void>((resolve) => nowhere.listen(0, "127.0.0.1", resolve));
  const port = (nowhere.address() as { port: number }).port;
  await new Promise<void>((resolve) => nowhere.close(() => resolve()));
  const link = await shaper({ to: { host: "127.0.0.1", port } });
  const peer = await Peer.open(link.listen.port);
  await waitFor(() => peer.closed, { timeoutMs: 3_000, what: "the client to be closed" });
  expect(link.status().connections.open).toBe(0);
});
