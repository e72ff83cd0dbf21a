import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect as connectHttp2, constants, type ClientHttp2Session, type IncomingHttpHeaders } from "node:http2";
import { join } from "node:path";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { GetPriceRequestSchema } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";
import { freePort, startApp, startNatsServer, type AppProcess, type TestNatsServer } from "@forecourt/shared/testing";

const READ_MAX_BYTES = 4096;
const GET_PRICE = "/forecourt.pricing.v1.PriceCalculatorService/GetPrice";

let nats: TestNatsServer;
let app: AppProcess;
let h2c: string;
let http1: string;
const sessions: ClientHttp2Session[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  const [port, httpPort] = [await freePort(), await freePort()];
  app = await startApp(join(import.meta.dir, "main.ts"), {
    NATS_URL: nats.url,
    PRICING_PORT: String(port),
    PRICING_HTTP_PORT: String(httpPort),
    PRICING_READ_MAX_BYTES: String(READ_MAX_BYTES),
  });
  h2c = `http://127.0.0.1:${port}`;
  http1 = `http://127.0.0.1:${httpPort}`;
});
afterAll(async () => {
  for (const session of sessions) session.close();
  await app?.kill();
  await nats?.dispose();
});

/** Field 1 (model_code) says it holds 2^28 bytes, and then the message ends: no protobuf decoder can read it. */
const garbage = Uint8Array.from([0x0a, 0x80, 0x80, 0x80, 0x80, 0x01, 0x66, 0x6f, 0x72, 0x64]);
/** A well-formed request whose model code alone is `bytes` long: the server would answer it INVALID_ARGUMENT if it read it. */
const requestOfSize = (bytes: number) => toBinary(GetPriceRequestSchema, create(GetPriceRequestSchema, { modelCode: "x".repeat(bytes), color: "Blue", year: 2015 }));

/** gRPC's length-prefixed message (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md). */
function envelope(message: Uint8Array): Uint8Array<ArrayBuffer> {
  const framed = new Uint8Array(5 + message.length);
  new DataView(framed.buffer).setUint32(1, message.length);
  framed.set(message, 5);
  return framed;
}

/** One POST over HTTP/2 cleartext, as any gRPC client sends it; the answer's headers, trailers and body. */
async function post(url: string, path: string, contentType: string, body: Uint8Array): Promise<{ headers: IncomingHttpHeaders; trailers: IncomingHttpHeaders; body: Buffer }> {
  const session = connectHttp2(url);
  sessions.push(session);
  const stream = session.request({ [constants.HTTP2_HEADER_METHOD]: "POST", [constants.HTTP2_HEADER_PATH]: path, "content-type": contentType, te: "trailers" });
  // The server may answer before it has read everything (that is the point of a size limit).
  stream.on("error", () => {});
  stream.end(body);
  const chunks: Buffer[] = [];
  let trailers: IncomingHttpHeaders = {};
  const headers = await new Promise<IncomingHttpHeaders>((resolve) => stream.once("response", resolve));
  stream.on("trailers", (t) => (trailers = t));
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  session.close();
  return { headers, trailers, body: Buffer.concat(chunks) };
}

/** The gRPC status of an answer: in the trailers, or in the headers of a trailers-only answer. */
const grpcStatus = (answer: { headers: IncomingHttpHeaders; trailers: IncomingHttpHeaders }) => Number(answer.trailers["grpc-status"] ?? answer.headers["grpc-status"]);

test("the garbage really is undecodable protobuf", () => {
  expect(() => fromBinary(GetPriceRequestSchema, garbage)).toThrow();
});

describe("a body that is not protobuf is the client's INVALID_ARGUMENT, never INTERNAL", () => {
  test("over gRPC", async () => {
    const answer = await post(h2c, GET_PRICE, "application/grpc", envelope(garbage));
    expect(grpcStatus(answer)).toBe(Code.InvalidArgument);
  });

  test("over gRPC-Web on both listeners", async () => {
    const h2 = await post(h2c, GET_PRICE, "application/grpc-web+proto", envelope(garbage));
    // gRPC-Web carries its trailers in the body, as a last frame flagged 0x80.
    expect(h2.body.toString("latin1")).toContain(`grpc-status: ${Code.InvalidArgument}`);
    const h1 = await fetch(`${http1}${GET_PRICE}`, { method: "POST", headers: { "content-type": "application/grpc-web+proto" }, body: envelope(garbage) });
    expect(Buffer.from(await h1.arrayBuffer()).toString("latin1")).toContain(`grpc-status: ${Code.InvalidArgument}`);
  });

  test("over Connect binary: HTTP 400 with code invalid_argument, on both listeners", async () => {
    const h1 = await fetch(`${http1}${GET_PRICE}`, { method: "POST", headers: { "content-type": "application/proto" }, body: garbage });
    expect(h1.status).toBe(400);
    expect(await h1.json()).toMatchObject({ code: "invalid_argument", message: expect.stringContaining("parse binary") });
    const h2 = await post(h2c, GET_PRICE, "application/proto", garbage);
    expect(Number(h2.headers[":status"])).toBe(400);
    expect(JSON.parse(h2.body.toString())).toMatchObject({ code: "invalid_argument" });
  });

  test("a well-formed request with a bad field is still answered naming the field", async () => {
    const answer = await fetch(`${http1}${GET_PRICE}`, { method: "POST", headers: { "content-type": "application/proto" }, body: requestOfSize(100) });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ code: "invalid_argument", message: expect.stringContaining("model_code") });
  });
});

describe("a request over PRICING_READ_MAX_BYTES is refused with RESOURCE_EXHAUSTED", () => {
  test("over gRPC, even at 20 MB", async () => {
    for (const size of [READ_MAX_BYTES + 1, 20 * 1024 * 1024]) {
      const answer = await post(h2c, GET_PRICE, "application/grpc", envelope(requestOfSize(size)));
      expect({ size, status: grpcStatus(answer) }).toEqual({ size, status: Code.ResourceExhausted });
    }
  });

  test("over Connect binary and JSON on HTTP/1.1 (HTTP 429, code resource_exhausted)", async () => {
    for (const [type, body] of [
      ["application/proto", requestOfSize(20 * 1024 * 1024)],
      ["application/json", new TextEncoder().encode(JSON.stringify({ modelCode: "x".repeat(READ_MAX_BYTES), color: "Blue", year: 2015 }))],
    ] as const) {
      const answer = await fetch(`${http1}${GET_PRICE}`, { method: "POST", headers: { "content-type": type }, body });
      expect({ type, status: answer.status }).toEqual({ type, status: 429 });
      expect(await answer.json()).toMatchObject({ code: "resource_exhausted", message: expect.stringContaining(`readMaxBytes ${READ_MAX_BYTES}`) });
    }
  });

  test("over Connect binary on the HTTP/2 listener", async () => {
    const answer = await post(h2c, GET_PRICE, "application/proto", requestOfSize(READ_MAX_BYTES + 1));
    expect(Number(answer.headers[":status"])).toBe(429);
    expect(JSON.parse(answer.body.toString())).toMatchObject({ code: "resource_exhausted" });
  });

  test("a request just under the limit is read and judged on its fields", async () => {
    const answer = await post(h2c, GET_PRICE, "application/grpc", envelope(requestOfSize(READ_MAX_BYTES - 64)));
    expect(grpcStatus(answer)).toBe(Code.InvalidArgument);
    expect(decodeURIComponent(String(answer.trailers["grpc-message"] ?? answer.headers["grpc-message"]))).toContain("model_code");
  });
});
