/**
 * Reads the three Autobarn CSVs (no header; RFC 4180 quoting allowed, see csv-rows.ts) and decides, row by row,
 * what can go in: pure, so every skip reason is unit-tested. Names arrive in capitals ("ALFA ROMEO") and are shown
 * title-cased ("Alfa Romeo"); codes are kept as they are, matching the seed catalog's convention.
 */
import type { CarModel, Catalog, Manufacturer } from "@forecourt/shared/catalog";
import { parseVehicleInput, vehicleInputErrors, type VehicleInput } from "../../apps/api/src/vehicles/vehicle-input.ts";
import { deriveBasePrice } from "./base-price.ts";
import { readCsvRows } from "./csv-rows.ts";

export interface SkippedRow {
  file: string;
  line: number;
  reason: string;
}

export interface ImportPlan {
  /** Catalog entries the store lacks, to be added. */
  manufacturers: Manufacturer[];
  models: CarModel[];
  vehicles: { line: number; input: VehicleInput }[];
  skipped: SkippedRow[];
}

export interface AutobarnFiles {
  makes: string;
  models: string;
  vehicles: string;
}

const FILES = ["makes.csv", "carmodels.csv", "vehicles.csv"];

export function titleCase(name: string): string {
  return name.toLowerCase().replace(/(^|[\s\-"(])(\p{L})/gu, (_, gap: string, letter: string) => gap + letter.toUpperCase());
}

/** Decides the import against the catalog as it stands; the store still refuses registrations it already has. */
export function planImport(files: AutobarnFiles, catalog: Catalog, now: Date = new Date()): ImportPlan {
  const skipped: SkippedRow[] = [];
  const manufacturers = new Map(catalog.manufacturers.map((m) => [m.code, m]));
  const models = new Map(catalog.models.map((m) => [m.code, m]));
  const newManufacturers: Manufacturer[] = [];
  const newModels: CarModel[] = [];
  const rowsOf = (file: string, text: string) => {
    const { rows, problems } = readCsvRows(text);
    for (const { line, reason } of problems) skipped.push({ file, line, reason });
    return rows;
  };

  for (const { line, cells } of rowsOf("makes.csv", files.makes)) {
    if (cells.length !== 2 || !cells[0] || !cells[1]) {
      skipped.push({ file: "makes.csv", line, reason: `expected 2 columns (code, name), got ${cells.length}` });
      continue;
    }
    const [code, name] = cells as [string, string];
    if (manufacturers.has(code)) continue;
    const manufacturer = { code, name: titleCase(name) };
    manufacturers.set(code, manufacturer);
    newManufacturers.push(manufacturer);
  }

  for (const { line, cells } of rowsOf("carmodels.csv", files.models)) {
    if (cells.length !== 3 || !cells[0] || !cells[1] || !cells[2]) {
      skipped.push({ file: "carmodels.csv", line, reason: `expected 3 columns (code, makeCode, name), got ${cells.length}` });
      continue;
    }
    const [code, manufacturerCode, name] = cells as [string, string, string];
    if (models.has(code)) continue;
    if (!manufacturers.has(manufacturerCode)) {
      skipped.push({ file: "carmodels.csv", line, reason: `unknown manufacturer "${manufacturerCode}"` });
      continue;
    }
    const model = { code, manufacturerCode, name: titleCase(name), basePrice: deriveBasePrice(code, manufacturerCode, catalog.models) };
    models.set(code, model);
    newModels.push(model);
  }

  const seen = new Map<string, number>();
  const vehicles: ImportPlan["vehicles"] = [];
  for (const { line, cells } of rowsOf("vehicles.csv", files.vehicles)) {
    const skip = (reason: string) => skipped.push({ file: "vehicles.csv", line, reason });
    if (cells.length !== 4) {
      skip(`expected 4 columns (registration, modelCode, color, year), got ${cells.length}`);
      continue;
    }
    const [registration, modelCode, color, yearText] = cells as [string, string, string, string];
    const year = /^\d{1,4}$/.test(yearText) ? Number(yearText) : Number.NaN;
    const raw = { registration, modelCode, color, year: Number.isNaN(year) ? yearText : year };
    const errors = vehicleInputErrors(raw, now);
    if (errors.length) {
      skip(errors.map((e) => `${e.field} ${e.reason}`).join("; "));
      continue;
    }
    if (!models.has(modelCode)) {
      skip(`unknown model "${modelCode}"`);
      continue;
    }
    const input = parseVehicleInput(raw, now);
    const first = seen.get(input.registration);
    if (first !== undefined) {
      skip(`duplicate registration ${input.registration} (first on line ${first})`);
      continue;
    }
    seen.set(input.registration, line);
    vehicles.push({ line, input });
  }
  // Rows the parser could not read were noted before the rest of their file: report each file in line order.
  skipped.sort((a, b) => FILES.indexOf(a.file) - FILES.indexOf(b.file) || a.line - b.line);
  return { manufacturers: newManufacturers, models: newModels, vehicles, skipped };
}
