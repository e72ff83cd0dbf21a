/**
 * The kept load generators the bench drives: `wrk` for HTTP/1.1 (closed loop, N connections, a Lua script
 * for bodies and a machine-readable summary) and `h2load` (nghttp2) for gRPC over h2c, posting one
 * pre-encoded gRPC frame. Both are C, so the load generator takes as little of the shared cores as it can.
 * Parsers are pure and tested against the tools' real output.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Throughput {
  requests: number;
  seconds: number;
  perSecond: number;
  /** Requests that failed: socket errors, timeouts, non-2xx answers. */
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

export function requireTool(name: string, debianPackage: string): void {
  if (!Bun.which(name)) throw new Error(`${name} is not installed (Debian: apt-get install ${debianPackage})`);
}

/** The line the bench's Lua `done` hook writes: one JSON object after this marker. */
const WRK_MARKER = "WRK_JSON ";

const WRK_DONE = `
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('${WRK_MARKER}{"requests":%d,"durationUs":%d,"errors":%d,"p50Us":%d,"p99Us":%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`;

export function parseWrkOutput(text: string): Throughput {
  const line = text.split("\n").find((l) => l.startsWith(WRK_MARKER));
  if (!line) throw new Error(`wrk printed no summary:\n${text.slice(-500)}`);
  const r = JSON.parse(line.slice(WRK_MARKER.length)) as { requests: number; durationUs: number; errors: number; p50Us: number; p99Us: number };
  const seconds = r.durationUs / 1e6;
  return { requests: r.requests, seconds, perSecond: r.requests / seconds, errors: r.errors, p50Ms: r.p50Us / 1000, p99Ms: r.p99Us / 1000 };
}

/** A Lua script that GETs the URL's path. */
export const wrkGetScript = () => WRK_DONE;

/**
 * A Lua script that POSTs a new vehicle per request as the dealer whose key it is given: registrations `<prefix><thread><counter>` (at most 10
 * letters and digits), so no two requests of a run collide; models and colours rotate.
 */
export function wrkCreateScript(path: string, prefix: string, modelCodes: readonly string[], colours: readonly string[], dealerKey: string): string {
  const list = (items: readonly string[]) => `{${items.map((s) => JSON.stringify(s)).join(",")}}`;
  return `
local threads = 0
function setup(thread) thread:set("tid", threads); threads = threads + 1 end
local counter = 0
local models = ${list(modelCodes)}
local colours = ${list(colours)}
local headers = { ["content-type"] = "application/json", ["authorization"] = ${JSON.stringify(`Bearer ${dealerKey}`)} }
function request()
  counter = counter + 1
  local body = string.format('{"registration":"%s%d%06d","modelCode":"%s","color":"%s","year":%d}',
    ${JSON.stringify(prefix)}, tid, counter, models[counter % #models + 1], colours[counter % #colours + 1], 2005 + counter % 20)
  return wrk.format("POST", ${JSON.stringify(path)}, headers, body)
end
${WRK_DONE}`;
}

export interface WrkOptions {
  url: string;
  script: string;
  connections: number;
  seconds: number;
  threads?: number;
  /** Where the Lua script is written. */
  dir: string;
}

export async function runWrk({ url, script, connections, seconds, threads = 1, dir }: WrkOptions): Promise<Throughput> {
  requireTool("wrk", "wrk");
  const path = join(dir, `wrk-${Bun.hash(script).toString(36)}.lua`);
  writeFileSync(path, script);
  const proc = Bun.spawn(["wrk", "-t", String(threads), "-c", String(connections), "-d", `${seconds}s`, "--timeout", "10s", "-s", path, url], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`wrk exited ${code}: ${err || out}`);
  return parseWrkOutput(out);
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000 };

function durationMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!match) return Number.NaN;
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

/** h2load reports throughput and min/max/mean latency; it has no percentiles, so p50 carries the mean (said in the report). */
export function parseH2loadOutput(text: string): Throughput & { meanMs: number } {
  const finished = /finished in ([\d.]+)(us|ms|s), ([\d.]+) req\/s/.exec(text);
  const requests = /requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(text);
  const status = /status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(text);
  const timing = /time for request:\s+(\S+)\s+(\S+)\s+(\S+)/.exec(text);
  if (!finished || !requests) throw new Error(`h2load printed no summary:\n${text.slice(-500)}`);
  const done = Number(requests[2]);
  const succeeded = Number(requests[3]);
  const non2xx = status ? Number(status[2]) + Number(status[3]) + Number(status[4]) : 0;
  const seconds = durationMs(`${finished[1]}${finished[2]}`) / 1000;
  const meanMs = timing ? durationMs(timing[3]!) : Number.NaN;
  return {
    requests: succeeded,
    seconds,
    perSecond: Number(finished[3]),
    errors: done - succeeded + non2xx + Number(requests[6]),
    p50Ms: meanMs,
    p99Ms: timing ? durationMs(timing[2]!) : Number.NaN,
    meanMs,
  };
}

/** A gRPC message on the wire: compressed flag 0, 4-byte big-endian length, the protobuf bytes (gRPC over HTTP/2 spec). */
export function grpcFrame(message: Uint8Array): Uint8Array {
  const frame = new Uint8Array(5 + message.length);
  new DataView(frame.buffer).setUint32(1, message.length);
  frame.set(message, 5);
  return frame;
}

export interface H2loadOptions {
  url: string;
  body: Uint8Array;
  clients: number;
  streamsPerClient: number;
  seconds: number;
  dir: string;
}

/**
 * POSTs the gRPC frame over h2c with gRPC's headers, and a 5 s deadline as the pricer sends one with every call
 * (`grpc-timeout`); a warm-up second first.
 */
export async function runH2loadGrpc({ url, body, clients, streamsPerClient, seconds, dir }: H2loadOptions): Promise<Throughput> {
  requireTool("h2load", "nghttp2-client");
  const path = join(dir, "grpc-request.bin");
  writeFileSync(path, body);
  const args = ["h2load", "-c", String(clients), "-m", String(streamsPerClient), "-D", String(seconds), "--warm-up-time", "1", "-d", path];
  args.push("-H", "content-type: application/grpc", "-H", "te: trailers", "-H", "grpc-timeout: 5S", url);
  const proc = Bun.spawn(args, { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`h2load exited ${code}: ${err || out}`);
  return parseH2loadOutput(out);
}
