import { expect, test } from "bun:test";
import fc from "fast-check";
import { NatsStreamReader } from "./nats-stream.ts";

const encode = (text: string) => new TextEncoder().encode(text);

/** Reads the chunks with counting only, checking that nothing is changed on the way. */
function count(...chunks: (string | Uint8Array)[]): NatsStreamReader {
  const counter = new NatsStreamReader();
  for (const chunk of chunks) {
    const bytes = typeof chunk === "string" ? encode(chunk) : chunk;
    expect(counter.push(bytes)).toEqual([bytes]);
  }
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
      const counter = new NatsStreamReader();
      for (let i = 1; i < points.length; i++) counter.push(bytes.subarray(points[i - 1], points[i]));
      return counter.messages === MESSAGES_IN_STREAM && counter.readable;
    }),
  );
});

test("a stream split one byte at a time still counts every message", () => {
  const counter = new NatsStreamReader();
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
  const counter = new NatsStreamReader();
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

const HUB_INFO = 'INFO {"server_id":"NAB","server_name":"hub","port":7422,"nonce":"x1","leafnode_urls":["10.0.0.5:7422","10.0.0.6:7422"],"info_on_connect":true} \r\n';
const HUB_INFO_EMPTIED = 'INFO {"server_id":"NAB","server_name":"hub","port":7422,"nonce":"x1","leafnode_urls":[],"info_on_connect":true} \r\n';
const LEAF_DOWN = [HUB_INFO, "PING\r\n", 'LMSG a.b 32\r\nINFO {"leafnode_urls":["x:1"]}\r\n\r\n', "LS+ $G a.>\r\n", HUB_INFO, "I".repeat(3), "NFO", " {}\r\n"].join("");
const LEAF_DOWN_EMPTIED = LEAF_DOWN.replaceAll(HUB_INFO, HUB_INFO_EMPTIED);

function rewrite(chunks: Uint8Array[]): { reader: NatsStreamReader; out: string } {
  const reader = new NatsStreamReader({ emptyLeafnodeUrls: true });
  const out = [...chunks.flatMap((chunk) => reader.push(chunk)), ...reader.flush()];
  return { reader, out: new TextDecoder().decode(Buffer.concat(out)) };
}

test("a hub's INFO reaches the leaf with an empty leafnode_urls list and every other byte as it was", () => {
  const { reader, out } = rewrite([encode(LEAF_DOWN)]);
  expect(out).toBe(LEAF_DOWN_EMPTIED);
  expect(reader.messages).toBe(1);
});

test("the INFO rewrite gives the same bytes however the stream is split", () => {
  const bytes = encode(LEAF_DOWN);
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 60 }), (cuts) => {
      const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];
      const chunks = points.slice(1).map((end, i) => bytes.subarray(points[i], end));
      return rewrite(chunks).out === LEAF_DOWN_EMPTIED;
    }),
  );
});

test("a line that only starts like INFO is held back just until it is known, then passed on unchanged", () => {
  const reader = new NatsStreamReader({ emptyLeafnodeUrls: true });
  expect(reader.push(encode("PING\r\nIN"))).toEqual([encode("PING\r\n")]);
  expect(Buffer.concat(reader.push(encode("F")))).toEqual(Buffer.alloc(0));
  expect(new TextDecoder().decode(Buffer.concat(reader.push(encode("O {} \r\nPONG\r\n"))))).toBe("INFO {} \r\nPONG\r\n");
});

test("a stream that is not NATS passes the rewriting reader unchanged, and held bytes come out at its end", () => {
  const binary = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7919 + 13) % 256);
  expect(rewrite([binary.subarray(0, 3_000), binary.subarray(3_000)]).out).toBe(new TextDecoder().decode(binary));
  const reader = new NatsStreamReader({ emptyLeafnodeUrls: true });
  expect(reader.push(encode("INF"))).toEqual([]);
  expect(reader.flush()).toEqual([encode("INF")]);
});
