import { describe, expect, test } from "bun:test";
import { SEED_CATALOG } from "@forecourt/shared/catalog";
import { planImport, titleCase } from "./autobarn-csv.ts";
import { DEFAULT_BASE_PRICE, deriveBasePrice } from "./base-price.ts";

const now = new Date("2026-06-01T00:00:00Z");
const files = {
  makes: "ford,FORD\ntrabant,TRABANT\nbroken-row",
  models: "ford-fiesta,ford,FIESTA\ntrabant-601,trabant,601 DE LUXE\nwartburg-353,wartburg,353",
  vehicles: [
    "AB12CDE,ford-fiesta,Red,2019",
    "TR01ABC,trabant-601,Blue,1985",
    "XX01XXX,ford-fiesta,Red,1850",
    "XX02XXX,ford-model-t,Red,1920",
    "ab12-cde,ford-fiesta,Red,2019",
    "XX03XXX,ford-fiesta,Red",
    "XX04XXX,ford-fiesta,Red,20x9",
    "",
    "XX05XXX,wartburg-353,Red,1980",
  ].join("\n"),
};

describe("planning an Autobarn import", () => {
  const plan = planImport(files, SEED_CATALOG, now);

  test("adds only catalog entries that are missing, title-cased and priced", () => {
    expect(plan.manufacturers).toEqual([{ code: "trabant", name: "Trabant" }]);
    expect(plan.models).toEqual([{ code: "trabant-601", manufacturerCode: "trabant", name: "601 De Luxe", basePrice: deriveBasePrice("trabant-601", "trabant", SEED_CATALOG.models) }]);
  });

  test("takes the good vehicles, normalised", () => {
    expect(plan.vehicles.map((v) => [v.line, v.input.registration])).toEqual([
      [1, "AB12CDE"],
      [2, "TR01ABC"],
    ]);
  });

  test("reports every skipped row with its file, line number and reason", () => {
    expect(plan.skipped).toEqual([
      { file: "makes.csv", line: 3, reason: "expected 2 columns (code, name), got 1" },
      { file: "carmodels.csv", line: 3, reason: 'unknown manufacturer "wartburg"' },
      { file: "vehicles.csv", line: 3, reason: "year must be 1900 to 2027, got 1850" },
      { file: "vehicles.csv", line: 4, reason: 'unknown model "ford-model-t"' },
      { file: "vehicles.csv", line: 5, reason: "duplicate registration AB12CDE (first on line 1)" },
      { file: "vehicles.csv", line: 6, reason: "expected 4 columns (registration, modelCode, color, year), got 3" },
      { file: "vehicles.csv", line: 7, reason: "year must be an integer" },
      { file: "vehicles.csv", line: 9, reason: 'unknown model "wartburg-353"' },
    ]);
  });
});

describe("an import from files a spreadsheet wrote (BOM, CRLF, quoted fields)", () => {
  const plan = planImport(
    {
      makes: '\uFEFF"trabant","TRABANT"\r\n"wartburg","WARTBURG, EISENACH"\r\n',
      models: '\uFEFFtrabant-601,trabant,"601 ""UNIVERSAL"""\r\n',
      vehicles: '\uFEFF"TR01ABC","trabant-601","Blue, faded",1985\r\nTR02"ABC,trabant-601,Red,1986\r\nTR03ABC,trabant-601,Red,1987\r\n',
    },
    SEED_CATALOG,
    now,
  );

  test("names arrive without their quotes, commas inside quotes stay in the name", () => {
    expect(plan.manufacturers).toEqual([
      { code: "trabant", name: "Trabant" },
      { code: "wartburg", name: "Wartburg, Eisenach" },
    ]);
    expect(plan.models.map((m) => m.name)).toEqual(['601 "Universal"']);
  });

  test("vehicles keep quoted colours whole, and a row the parser cannot read is skipped with its line", () => {
    expect(plan.vehicles.map((v) => [v.line, v.input.registration, v.input.color])).toEqual([
      [1, "TR01ABC", "Blue, faded"],
      [3, "TR03ABC", "Red"],
    ]);
    expect(plan.skipped).toEqual([{ file: "vehicles.csv", line: 2, reason: "a quote inside an unquoted field (quote the whole field and double the quote)" }]);
  });
});

describe("derived base prices", () => {
  test("are deterministic, near the manufacturer's median, in whole hundreds", () => {
    const price = deriveBasePrice("ford-sierra", "ford", SEED_CATALOG.models);
    expect(deriveBasePrice("ford-sierra", "ford", SEED_CATALOG.models)).toBe(price);
    expect(price % 100).toBe(0);
    expect(price).toBeGreaterThanOrEqual(0.8 * 33_000 - 100); // Ford's seeded median is £33,000
    expect(price).toBeLessThanOrEqual(1.25 * 33_000 + 100);
  });

  test("fall back to a default for a manufacturer the seed does not know", () => {
    const price = deriveBasePrice("reliant-robin", "reliant", SEED_CATALOG.models);
    expect(price).toBeGreaterThanOrEqual(0.8 * DEFAULT_BASE_PRICE - 100);
    expect(price).toBeLessThanOrEqual(1.25 * DEFAULT_BASE_PRICE + 100);
  });
});

test("titleCase", () => {
  expect(titleCase("ALFA ROMEO")).toBe("Alfa Romeo");
  expect(titleCase("MERCEDES-BENZ")).toBe("Mercedes-Benz");
  expect(titleCase("MODEL 3")).toBe("Model 3");
  expect(titleCase('601 "UNIVERSAL" (KOMBI)')).toBe('601 "Universal" (Kombi)');
});
