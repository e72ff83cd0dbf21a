/**
 * The seed catalog Forecourt ships: written by this project (not copied from any dataset).
 * Base prices are plausible new-car list prices in whole pounds.
 */
import type { Catalog } from "./types.ts";

export const SEED_CATALOG: Catalog = {
  manufacturers: [
    { code: "ford", name: "Ford" },
    { code: "volkswagen", name: "Volkswagen" },
  ],
  models: [
    { code: "ford-fiesta", manufacturerCode: "ford", name: "Fiesta", basePrice: 19_500 },
    { code: "ford-focus", manufacturerCode: "ford", name: "Focus", basePrice: 24_800 },
    { code: "volkswagen-golf", manufacturerCode: "volkswagen", name: "Golf", basePrice: 27_400 },
  ],
};
