import { expect, test } from "bun:test";
import { cpuDelta, cpuSeconds, parseProcStat, parseRssMiB, rssMiB } from "./proc-stats.ts";

test("a stat line whose command holds spaces and parentheses still parses", () => {
  const line = "4242 (bun (api) x) S 100 4242 4242 0 -1 4194560 5000 0 0 0 1234 567 0 0 20 0 12 0 900 1000000 20000 18446744073709551615";
  expect(parseProcStat(line)).toEqual({ pid: 4242, comm: "bun (api) x", ppid: 100, cpuTicks: 1234 + 567 });
});

test("VmRSS is read in MiB", () => {
  expect(parseRssMiB("Name:\tbun\nVmPeak:\t  999 kB\nVmRSS:\t   51200 kB\nThreads:\t4\n")).toBe(50);
  expect(parseRssMiB("Name:\tzombie\n")).toBe(0);
});

test("this process has used CPU and memory; a process that is gone has none", () => {
  for (let i = 0, x = 0; i < 3e6; i++) x += Math.sqrt(i);
  expect(cpuSeconds(process.pid)).toBeGreaterThan(0);
  expect(rssMiB(process.pid)).toBeGreaterThan(1);
  expect(cpuSeconds(2 ** 22 + 1)).toBeUndefined();
});

test("CPU deltas are per process and never negative", () => {
  expect(cpuDelta({ api: 1, nats: 2 }, { api: 1.5, nats: 2, web: 0.25 })).toEqual({ api: 0.5, nats: 0, web: 0.25 });
  expect(cpuDelta({ api: 3 }, { api: 2 })).toEqual({ api: 0 });
});
