import { expect, test } from "bun:test";
import fc from "fast-check";
import { NatsMessageCounter } from "./nats-counter.ts";

const encode = (text: string) => new TextEncoder().encode(text);

function count(...chunks: (string | Uint8Array)[]): NatsMessageCounter {
  const counter = new NatsMessageCounter();
  for (const chunk of chunks) counter.push(typeof chunk === "string" ? encode(chunk) : chunk);
  return counter;
}

/** A realistic stretch of both directions of a leaf link, headers and replies included. */
const STREAM = [
  'INFO {"server_id":"NAB","version":"2.9.10","max_payload":1048576}\r\n',
  'CONNECT {"verbose":false,"pedantic":false,"name":"alice"}\r\n',
  "PING\r\n",
  "PONG\r\n",
  "SUB forecourt.> 1\r\n",
  "PUB forecourt.vehicles.listed.ford.ford-fiesta 5\r\nhello\r\n",
  "PUB forecourt.pricing.get-price _INBOX.abc 2\r\n{}\r\n",
  "HPUB forecourt.x 18 23\r\nNATS/1.0\r\nA: b\r\n\r\nhello\r\n",
  "MSG forecourt.x 1 5\r\nhello\r\n",
  "MSG forecourt.x 1 _INBOX.r 0\r\n\r\n",
  "HMSG forecourt.x 1 18 18\r\nNATS/1.0\r\nA: b\r\n\r\n\r\n\r\n",
  "LS+ $G forecourt.>\r\n",
  "LMSG forecourt.y 3\r\nabc\r\n",
  "LMSG forecourt.y + _INBOX.r q1 3\r\nabc\r\n",
  "RMSG $G forecourt.z 3\r\nabc\r\n",
  "+OK\r\n",
  "-ERR 'Unknown Subject'\r\n",
].join("");
const MESSAGES_IN_STREAM = 9;

test("every operation that carries a payload counts once; control lines do not count", () => {
  const counter = count(STREAM);
  expect(counter.messages).toBe(MESSAGES_IN_STREAM);
  expect(counter.readable).toBe(true);
});

test("a payload that looks like protocol is skipped by its declared size, not read as lines", () => {
  const payload = "MSG fake 1 3\r\nabc\r\nPUB fake 3\r\nabc\r\n";
  const counter = count(`PUB real ${payload.length}\r\n${payload}\r\n`, "PING\r\n");
  expect(counter.messages).toBe(1);
  expect(counter.readable).toBe(true);
});

test("the count is the same however the stream is split into chunks", () => {
  const bytes = encode(STREAM);
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }), (cuts) => {
      const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];
      const counter = new NatsMessageCounter();
      for (let i = 1; i < points.length; i++) counter.push(bytes.subarray(points[i - 1], points[i]));
      return counter.messages === MESSAGES_IN_STREAM && counter.readable;
    }),
  );
});

test("a stream split one byte at a time still counts every message", () => {
  const counter = new NatsMessageCounter();
  for (const byte of encode(STREAM)) counter.push(Uint8Array.of(byte));
  expect(counter.messages).toBe(MESSAGES_IN_STREAM);
});

test("operation names are read case-insensitively, as nats-server does", () => {
  expect(count("pub a 1\r\nx\r\nmsg a 1 1\r\ny\r\n").messages).toBe(2);
});

test("a large payload spanning many chunks counts once", () => {
  const payload = "x".repeat(200_000);
  const text = `PUB big ${payload.length}\r\n${payload}\r\nPUB small 1\r\ny\r\n`;
  const bytes = encode(text);
  const counter = new NatsMessageCounter();
  for (let i = 0; i < bytes.length; i += 4096) counter.push(bytes.subarray(i, i + 4096));
  expect(counter.messages).toBe(2);
});

test("a stream that is not NATS (TLS after the INFO) stops the count instead of guessing", () => {
  const binary = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256);
  const counter = count('INFO {"tls_required":true}\r\n', binary, "PUB a 1\r\nx\r\n");
  expect(counter.readable).toBe(false);
  expect(counter.messages).toBe(0);
});

test("a payload operation without a size is not NATS", () => {
  expect(count("PUB subject-only\r\n").readable).toBe(false);
  expect(count("MSG a 1 -3\r\n").readable).toBe(false);
});

test("a very long line without an end is not NATS", () => {
  const counter = count("x".repeat(2 * 1024 * 1024));
  expect(counter.readable).toBe(false);
});
