import { expect, test } from "bun:test";
import { parseBenchArgs } from "./args.ts";

test("no arguments is the full sweep the issue asks for", () => {
  const s = parseBenchArgs([]);
  expect(s.quick).toBe(false);
  expect(s.rates).toEqual([100, 250, 500, 1000, 1500]);
  expect(s.pipelineSeconds).toBe(30);
  expect(s.createConcurrency).toBe(16);
});

test("--quick shortens every stage, and explicit flags still win", () => {
  const quick = parseBenchArgs(["--quick"]);
  expect(quick.quick).toBe(true);
  expect(quick.throughputSeconds).toBe(1);
  expect(quick.rates.length).toBeLessThan(5);
  expect(parseBenchArgs(["--rates", "1000", "--quick", "--duration=5", "--profile", "--rounds", "3"])).toMatchObject({ quick: true, rates: [1000], pipelineSeconds: 5, profile: true, rounds: 3 });
});

test("bad values and unknown flags are refused with one line naming them, then the usage", () => {
  expect(() => parseBenchArgs(["--rates", "100,fast"])).toThrow('--rates takes a number above 0 and at most 20000, got "fast"');
  expect(() => parseBenchArgs(["--duration"])).toThrow("--duration takes a number above 0 and at most 600, got nothing");
  expect(() => parseBenchArgs(["--throughput-seconds", "0"])).toThrow(/got "0"/);
  expect(() => parseBenchArgs(["--fast"])).toThrow(/unknown argument "--fast"\nusage: bun run bench/);
});
