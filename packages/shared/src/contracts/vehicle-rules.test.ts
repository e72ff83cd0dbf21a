import { describe, expect, test } from "bun:test";
import {
  colorReason,
  LIST_QUERY_RULES,
  latestModelYear,
  listQueryErrors,
  modelCodeReason,
  normaliseRegistration,
  registrationReason,
  VEHICLE_FIELD_DOCS,
  VEHICLE_RULES,
  vehicleFieldErrors,
  yearReason,
} from "./vehicle-rules.ts";

const { registration, modelCode, color, year } = VEHICLE_RULES;
const YEAR = 2026;

describe("the rules' bounds", () => {
  test("are the documented ones: registration 1-10, colour 1-32, year from 1900, page size 1-100, index from 0", () => {
    expect([registration.minLength, registration.maxLength]).toEqual([1, 10]);
    expect([color.minLength, color.maxLength]).toEqual([1, 32]);
    expect(year.minimum).toBe(1900);
    expect([LIST_QUERY_RULES.count.minimum, LIST_QUERY_RULES.count.maximum]).toEqual([1, 100]);
    expect(LIST_QUERY_RULES.index.minimum).toBe(0);
  });

  test("descriptions for clients quote the bounds the checks apply", () => {
    expect(VEHICLE_FIELD_DOCS.registration.description).toStartWith(`${registration.minLength} to ${registration.maxLength} letters or digits`);
    expect(VEHICLE_FIELD_DOCS.color.description).toBe(`${color.minLength} to ${color.maxLength} characters`);
    expect(VEHICLE_FIELD_DOCS.year.description).toBe(`${year.minimum} to next year`);
  });
});

describe("registration", () => {
  test("normalising uppercases and strips everything that is not a letter or digit", () => {
    expect(normaliseRegistration("ab-12 cde")).toBe("AB12CDE");
    expect(normaliseRegistration("--")).toBe("");
  });

  test("holds 1 to 10 letters or digits once normalised", () => {
    expect(registrationReason("a")).toBeUndefined();
    expect(registrationReason("ab-12 cd-e123")).toBeUndefined();
    expect(registrationReason("X".repeat(registration.maxLength + 1))).toBe(`must hold 1 to 10 letters or digits, got 11`);
    expect(registrationReason(" - ")).toBe("must hold 1 to 10 letters or digits, got 0");
    expect(registrationReason(12)).toBe("must be a string");
  });

  test("is at most 64 characters as sent, whatever it normalises to", () => {
    expect(registrationReason(`AB12${" ".repeat(registration.maxInputLength - 4)}`)).toBeUndefined();
    expect(registrationReason(`AB12${" ".repeat(registration.maxInputLength - 3)}`)).toBe("must be at most 64 characters as sent, got 65");
  });
});

describe("model code", () => {
  test("is a non-empty string of at most 64 characters", () => {
    expect(modelCodeReason("ford-fiesta")).toBeUndefined();
    expect(modelCodeReason("")).toBe("must be a non-empty string");
    expect(modelCodeReason(undefined)).toBe("must be a non-empty string");
    expect(modelCodeReason("m".repeat(modelCode.maxLength))).toBeUndefined();
    expect(modelCodeReason("m".repeat(modelCode.maxLength + 1))).toBe("must be at most 64 characters, got 65");
  });
});

describe("colour", () => {
  test("is 1 to 32 characters and not blank", () => {
    expect(colorReason("x".repeat(color.maxLength))).toBeUndefined();
    expect(colorReason(" Red ")).toBeUndefined();
    expect(colorReason("x".repeat(color.maxLength + 1))).toBe("must be 1 to 32 characters, got 33");
    expect(colorReason("   ")).toBe("must be 1 to 32 characters, got 0");
    expect(colorReason(null)).toBe("must be a string");
  });

  test("counts an over-long colour as sent, as the API's request schema does", () => {
    expect(colorReason(` ${"x".repeat(color.maxLength)}`)).toBe("must be 1 to 32 characters, got 33");
  });
});

describe("year", () => {
  test("runs from 1900 to next year", () => {
    expect(latestModelYear(YEAR)).toBe(YEAR + 1);
    expect(yearReason(year.minimum, YEAR)).toBeUndefined();
    expect(yearReason(YEAR + 1, YEAR)).toBeUndefined();
    expect(yearReason(year.minimum - 1, YEAR)).toBe("must be 1900 to 2027, got 1899");
    expect(yearReason(YEAR + 2, YEAR)).toBe("must be 1900 to 2027, got 2028");
  });

  test("is a whole number", () => {
    expect(yearReason(2019.5, YEAR)).toBe("must be an integer");
    expect(yearReason("2019", YEAR)).toBe("must be an integer");
  });
});

describe("vehicleFieldErrors", () => {
  test("names every bad field at once, in field order", () => {
    expect(vehicleFieldErrors({ registration: 7, color: "", year: "2019" }, YEAR).map((e) => e.field)).toEqual(["registration", "modelCode", "color", "year"]);
    expect(vehicleFieldErrors({ registration: "AB12CDE", modelCode: "ford-fiesta", color: "Red", year: 2019 }, YEAR)).toEqual([]);
  });

  test("checks only the fields asked for", () => {
    expect(vehicleFieldErrors({ color: "Red", year: 2019 }, YEAR, ["color", "year"])).toEqual([]);
  });
});

describe("list query", () => {
  const fields = (query: string) => listQueryErrors(new URLSearchParams(query)).map((e) => e.field);

  test("a plain or filtered page query is fine", () => {
    expect(fields("")).toEqual([]);
    expect(fields("index=990000&count=10&manufacturer=ford&model=ford-fiesta&color=Red&year=2019")).toEqual([]);
    expect(fields("count=1")).toEqual([]);
    expect(fields("count=100")).toEqual([]);
  });

  test("count must be 1 to 100 and index a whole number, never negative", () => {
    expect(fields("count=0")).toEqual(["query.count"]);
    expect(fields("count=101")).toEqual(["query.count"]);
    expect(fields("count=ten")).toEqual(["query.count"]);
    expect(fields("index=-1")).toEqual(["query.index"]);
    expect(fields("index=1.5")).toEqual(["query.index"]);
    expect(fields("index=-1&count=0&year=x&color=")).toEqual(["query.index", "query.count", "query.year", "query.color"]);
  });

  test("filters are bounded like the fields they compare with", () => {
    expect(fields(`color=${"x".repeat(color.maxLength)}&model=${"m".repeat(modelCode.maxLength)}`)).toEqual([]);
    expect(fields(`color=${"x".repeat(color.maxLength + 1)}&manufacturer=${"m".repeat(modelCode.maxLength + 1)}`)).toEqual(["query.manufacturer", "query.color"]);
    expect(fields("year=10000")).toEqual(["query.year"]);
  });

  test("reasons quote what was sent", () => {
    expect(listQueryErrors(new URLSearchParams("count=500"))[0]?.reason).toBe('must be an integer 1 to 100, got "500"');
  });
});
