import { describe, expect, test } from "bun:test";
import { InvalidVehicleError } from "./errors.ts";
import { maxYear, normaliseRegistration, parseVehicleInput, vehicleInputErrors } from "./vehicle-input.ts";

const now = new Date("2026-06-01T00:00:00Z");
const good = { registration: "ab12 cde", modelCode: "ford-fiesta", color: " Red ", year: 2019 };

describe("normaliseRegistration", () => {
  test("uppercases and strips everything that is not a letter or digit", () => {
    expect(normaliseRegistration("ab-12 cde")).toBe("AB12CDE");
    expect(normaliseRegistration("  outatime! ")).toBe("OUTATIME");
    expect(normaliseRegistration("--")).toBe("");
  });
});

describe("vehicle input validation", () => {
  test("a good body is normalised", () => {
    expect(parseVehicleInput(good, now)).toEqual({ registration: "AB12CDE", modelCode: "ford-fiesta", color: "Red", year: 2019 });
  });

  test("years run from 1900 to next year", () => {
    expect(maxYear(now)).toBe(2027);
    expect(vehicleInputErrors({ ...good, year: 1900 }, now)).toEqual([]);
    expect(vehicleInputErrors({ ...good, year: 2027 }, now)).toEqual([]);
    expect(vehicleInputErrors({ ...good, year: 1899 }, now)[0]?.field).toBe("year");
    expect(vehicleInputErrors({ ...good, year: 2028 }, now)[0]?.field).toBe("year");
    expect(vehicleInputErrors({ ...good, year: 2019.5 }, now)[0]?.reason).toBe("must be an integer");
  });

  test("registration must hold 1 to 10 alphanumerics after normalising", () => {
    expect(vehicleInputErrors({ ...good, registration: "A" }, now)).toEqual([]);
    expect(vehicleInputErrors({ ...good, registration: "ABCDE-12345" }, now)).toEqual([]);
    expect(vehicleInputErrors({ ...good, registration: "ABCDEF12345" }, now)[0]?.field).toBe("registration");
    expect(vehicleInputErrors({ ...good, registration: "- -" }, now)[0]?.field).toBe("registration");
  });

  test("colour must be 1 to 32 characters", () => {
    expect(vehicleInputErrors({ ...good, color: "x".repeat(32) }, now)).toEqual([]);
    expect(vehicleInputErrors({ ...good, color: "x".repeat(33) }, now)[0]?.field).toBe("color");
    expect(vehicleInputErrors({ ...good, color: "   " }, now)[0]?.field).toBe("color");
  });

  test("every bad field is reported at once", () => {
    const error = (() => {
      try {
        parseVehicleInput({ registration: 7, color: "", year: "2019" }, now);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidVehicleError);
    expect((error as InvalidVehicleError).errors.map((e) => e.field)).toEqual(["registration", "modelCode", "color", "year"]);
  });
});
