/**
 * A base price for an imported model the seed catalog does not price: the median base price of the
 * manufacturer's seeded models (£25,000 for a manufacturer we do not ship), scaled by a factor from 0.80 to
 * 1.25 taken from a hash of the model code, rounded to £100. Deterministic: every run, every machine, one price.
 */
import type { CarModel } from "@forecourt/shared/catalog";

export const DEFAULT_BASE_PRICE = 25_000;

/** FNV-1a, 32 bits. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function deriveBasePrice(modelCode: string, manufacturerCode: string, catalogModels: readonly CarModel[]): number {
  const prices = catalogModels.filter((m) => m.manufacturerCode === manufacturerCode).map((m) => m.basePrice).sort((a, b) => a - b);
  const median = prices.length ? prices[Math.floor(prices.length / 2)]! : DEFAULT_BASE_PRICE;
  const factor = 0.8 + (hash(modelCode) / 0xffffffff) * 0.45;
  return Math.max(1_000, Math.round((median * factor) / 100) * 100);
}
