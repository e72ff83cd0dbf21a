import { expect, test } from "bun:test";
import { SEED_CATALOG } from "@forecourt/shared/catalog";
import { demoSeed, demoVehicles } from "./demo-vehicles.ts";
import { vehicleInputErrors } from "./vehicle-input.ts";

test("demo vehicles are the same on every run, unique and valid", () => {
  const first = demoVehicles(500, SEED_CATALOG.models);
  expect(demoVehicles(500, SEED_CATALOG.models)).toEqual(first);
  expect(new Set(first.map((v) => v.registration)).size).toBe(500);
  for (const v of first) expect(vehicleInputErrors(v)).toEqual([]);
  expect(new Set(first.map((v) => v.modelCode)).size).toBeGreaterThan(100);
});

test("a longer demo list starts with the shorter one", () => {
  expect(demoVehicles(300, SEED_CATALOG.models).slice(0, 200)).toEqual(demoVehicles(200, SEED_CATALOG.models));
});

test("outside a workshop the list is the usual one; each participant gets its own, the same on every start", () => {
  expect(demoSeed("local")).toBe(2026);
  const alice = demoVehicles(200, SEED_CATALOG.models, demoSeed("alice"));
  expect(demoVehicles(200, SEED_CATALOG.models, demoSeed("alice"))).toEqual(alice);
  const bob = new Set(demoVehicles(200, SEED_CATALOG.models, demoSeed("bob")).map((v) => v.registration));
  expect(alice.filter((v) => bob.has(v.registration)).length).toBeLessThan(5);
});
