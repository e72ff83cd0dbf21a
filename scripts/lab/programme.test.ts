import { expect, test } from "bun:test";
import { registrationReason } from "@forecourt/shared/contracts";
import { fullProgramme, quickProgramme, registrationFor, stepSettings } from "./programme.ts";

test("both programmes run the seven steps of issue 12 in order", () => {
  for (const programme of [fullProgramme(), quickProgramme()]) {
    expect(programme.steps.map((s) => s.name.replace(/^\d+ s /, "N s "))).toEqual(["unshaped", "50 ms", "200±50 ms", "1 Mbit/s", "64 kbit/s", "N s cut", "N s hold"]);
  }
  expect(fullProgramme().steps.filter((s) => s.outage).map((s) => s.outage!.forMs)).toEqual([10_000, 10_000]);
});

test("an outage ends before its step stops listing, so cars are listed on both sides of it", () => {
  for (const step of [...fullProgramme().steps, ...quickProgramme().steps]) {
    if (step.outage) expect(step.outage.atMs + step.outage.forMs).toBeLessThan(step.listingMs);
  }
});

test("the quick programme lists for well under 90 s in all", () => {
  const listing = quickProgramme().steps.reduce((sum, s) => sum + s.listingMs, 0);
  expect(listing).toBeLessThan(45_000);
});

test("a step's settings apply to both directions and lift any outage", () => {
  const step = fullProgramme().steps.find((s) => s.name === "200±50 ms")!;
  expect(stepSettings(step)).toEqual({ up: { latencyMs: 200, jitterMs: 50, bandwidthBps: 0 }, down: { latencyMs: 200, jitterMs: 50, bandwidthBps: 0 }, outage: "none" });
});

test("registrations are valid and unique per step, participant and number", () => {
  const registrations = new Set<string>();
  for (let step = 0; step < 7; step++) for (const name of ["alice", "bob", "carol"]) for (let n = 0; n < 200; n++) registrations.add(registrationFor(step, name, n));
  expect(registrations.size).toBe(7 * 3 * 200);
  for (const r of registrations) expect(registrationReason(r)).toBeUndefined();
});
