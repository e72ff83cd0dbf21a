import { describe, expect, test } from "bun:test";
import { grpcFrame, parseH2loadOutput, parseWrkOutput, wrkCreateScript } from "./load-tools.ts";

// Captured from wrk 4.1.0 and h2load (nghttp2 1.52.0) on this machine.
const WRK = `Running 1s test @ http://127.0.0.1:23456/
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   260.02us  669.74us   6.88ms   92.88%
    Req/Sec    44.64k    11.19k   59.30k    58.33%
  53352 requests in 1.20s, 5.95MB read
Requests/sec:  44453.48
Transfer/sec:      4.96MB
WRK_JSON {"requests":53352,"durationUs":1200176,"errors":3,"p50Us":57,"p99Us":3665}
`;

const H2LOAD = `finished in 1.00s, 15270.00 req/s, 313.23KB/s
requests: 15270 total, 15274 started, 15270 done, 15268 succeeded, 2 failed, 0 errored, 0 timeout
status codes: 15268 2xx, 0 3xx, 1 4xx, 0 5xx
traffic: 313.23KB (320746) total, 44.79KB (45868) headers (space savings 95.77%), 0B (0) data
                     min         max         mean         sd        +/- sd
time for request:       42us     31.52ms       257us       843us    95.82%
time for connect:       55us        55us        55us         0us   100.00%
`;

describe("wrk", () => {
  test("the summary line gives requests, rate, errors and percentiles", () => {
    const r = parseWrkOutput(WRK);
    expect(r.requests).toBe(53352);
    expect(r.perSecond).toBeCloseTo(53352 / 1.200176, 3);
    expect(r.errors).toBe(3);
    expect(r.p50Ms).toBeCloseTo(0.057, 6);
    expect(r.p99Ms).toBeCloseTo(3.665, 6);
  });

  test("output without the summary is an error that shows the output", () => {
    expect(() => parseWrkOutput("unable to connect to 127.0.0.1:1 Connection refused")).toThrow(/Connection refused/);
  });

  test("the create script makes registrations of at most 10 letters and digits, and writes as the dealer whose key it has", () => {
    const script = wrkCreateScript("/api/vehicles", "C", ["ford-fiesta"], ["Blue"], "fck_demo_secret");
    const format = /string\.format\('\{"registration":"%s%d%06d"/.exec(script);
    expect(format).not.toBeNull();
    expect(script).toContain('"ford-fiesta"');
    expect(script).toContain('wrk.format("POST", "/api/vehicles"');
    expect(script).toContain('["authorization"] = "Bearer fck_demo_secret"');
  });
});

describe("h2load", () => {
  test("throughput, failures (including non-2xx) and latency come from the summary", () => {
    const r = parseH2loadOutput(H2LOAD);
    expect(r.perSecond).toBe(15270);
    expect(r.requests).toBe(15268);
    expect(r.errors).toBe(2 + 1);
    expect(r.meanMs).toBeCloseTo(0.257, 6);
    expect(r.p99Ms).toBeCloseTo(31.52, 6);
    expect(r.seconds).toBe(1);
  });

  test("output without a summary is an error", () => {
    expect(() => parseH2loadOutput("connect: Connection refused")).toThrow(/no summary/);
  });
});

test("a gRPC frame is flag 0, the big-endian length, then the message", () => {
  const frame = grpcFrame(new Uint8Array([1, 2, 3]));
  expect([...frame]).toEqual([0, 0, 0, 0, 3, 1, 2, 3]);
  expect(grpcFrame(new Uint8Array(300)).subarray(0, 5)).toEqual(new Uint8Array([0, 0, 0, 1, 44]));
});
