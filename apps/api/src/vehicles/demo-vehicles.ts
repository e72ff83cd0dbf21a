/**
 * Deterministic demo vehicles (same list on every machine and every start), so a fresh system has pages to
 * browse. Registrations follow the current UK pattern: two letters, two digits (the age identifier), three letters.
 */
import type { CarModel } from "@forecourt/shared/catalog";
import { DEFAULT_PARTICIPANT } from "@forecourt/shared/contracts";
import type { VehicleInput } from "./vehicle-input.ts";

export const DEMO_COLOURS = ["Black", "White", "Silver", "Grey", "Blue", "Red", "Green", "Yellow", "Orange", "Brown", "Purple", "Turquoise"];
const LETTERS = [..."ABCDEFGHJKLMNOPRSTUVWXY"];

/** mulberry32: a tiny seeded PRNG, enough for demo data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The seed of a participant's demo list: the usual list for a stack outside a workshop, another per participant, so
 * workshop participants do not all list the same 200 registrations (FNV-1a of the name).
 */
export function demoSeed(participant: string): number {
  if (participant === DEFAULT_PARTICIPANT) return 2026;
  let hash = 0x811c9dc5;
  for (const char of participant) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash;
}

export function demoVehicles(count: number, models: readonly CarModel[], seed = 2026): VehicleInput[] {
  if (models.length === 0) return [];
  const next = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const seen = new Set<string>();
  const vehicles: VehicleInput[] = [];
  while (vehicles.length < count) {
    const year = 2008 + Math.floor(next() * 18);
    // UK age identifier: March plates are the year's last two digits, September plates add 50.
    const age = (year % 100) + (next() < 0.5 ? 0 : 50);
    const registration = `${pick(LETTERS)}${pick(LETTERS)}${String(age).padStart(2, "0")}${pick(LETTERS)}${pick(LETTERS)}${pick(LETTERS)}`;
    const model = pick(models);
    const color = pick(DEMO_COLOURS);
    if (seen.has(registration)) continue;
    seen.add(registration);
    vehicles.push({ registration, modelCode: model.code, color, year });
  }
  return vehicles;
}
