import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { colorReason, latestModelYear, VEHICLE_RULES, yearReason } from "@forecourt/shared/contracts";
import { colorAdjustmentBps, FLOOR_PRICE, InvalidFieldError, priceCar, validateCar } from "./price-rules.ts";

const YEAR = 2026;
const fiesta = { basePrice: 19_500, color: "Blue", year: 2015 };

function invalidField(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidFieldError) return error.field;
    throw error;
  }
  return undefined;
}

describe("priceCar", () => {
  test("an eleven-year-old blue Fiesta keeps about a quarter of its new price", () => {
    // 0.80 × 0.85⁴ × 0.90⁵ × 0.95, truncated to whole basis points each year = 23.40%; 19 500 × 0.2340 = 4 563 → £4 560
    const result = priceCar(fiesta, YEAR);
    expect(result).toEqual({ price: 4_560n, basePrice: 19_500n, ageYears: 11, retainedBps: 2_340n, colorAdjustmentBps: 0n, floorApplied: false });
  });

  test("a car from this year or next sells at its new price", () => {
    expect(priceCar({ ...fiesta, year: YEAR }, YEAR).price).toBe(19_500n);
    expect(priceCar({ ...fiesta, year: YEAR + 1 }, YEAR).price).toBe(19_500n);
  });

  test("the first year costs 20%", () => {
    expect(priceCar({ ...fiesta, year: YEAR - 1 }, YEAR).price).toBe(15_600n);
  });

  test("black adds 3% and yellow takes 5% off", () => {
    const blue = priceCar({ ...fiesta, year: YEAR - 1 }, YEAR).price;
    expect(priceCar({ ...fiesta, year: YEAR - 1, color: "Black" }, YEAR).price).toBe(16_070n);
    expect(priceCar({ ...fiesta, year: YEAR - 1, color: "yellow" }, YEAR).price).toBe(14_820n);
    expect(blue).toBe(15_600n);
  });

  test("a very old car is priced at the floor: a tenth of its new price, at least £500", () => {
    const old = priceCar({ ...fiesta, year: 1950 }, YEAR);
    expect(old.floorApplied).toBe(true);
    expect(old.price).toBe(1_950n);
    expect(priceCar({ basePrice: 3_000, color: "Red", year: 1950 }, YEAR).price).toBe(FLOOR_PRICE);
  });

  test("a base price that is not a positive whole number is refused rather than priced", () => {
    expect(() => priceCar({ ...fiesta, basePrice: 19_500.5 }, YEAR)).toThrow(RangeError);
    expect(() => priceCar({ ...fiesta, basePrice: 0 }, YEAR)).toThrow(RangeError);
  });

  test("prices are whole tens of pounds, never above the new price, never below the floor, never rising with age", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000, max: 2_000_000 }),
        fc.integer({ min: 1900, max: YEAR }),
        fc.constantFrom("Black", "Blue", "Yellow", "Metallic Grey", "Teal"),
        (basePrice, year, color) => {
          const { price } = priceCar({ basePrice, color, year }, YEAR);
          const older = year > 1900 ? priceCar({ basePrice, color, year: year - 1 }, YEAR).price : price;
          const tenthRoundedUp = ((BigInt(basePrice) / 10n + 9n) / 10n) * 10n;
          const floor = tenthRoundedUp > 500n ? tenthRoundedUp : 500n;
          return price % 10n === 0n && price >= floor && price <= (BigInt(basePrice) * 10_300n) / 10_000n + 10n && older <= price;
        },
      ),
    );
  });
});

describe("colorAdjustmentBps", () => {
  test("the first colour word it knows decides, whatever the case or punctuation", () => {
    expect(colorAdjustmentBps("Metallic Grey")).toBe(300n);
    expect(colorAdjustmentBps("pearl-WHITE")).toBe(300n);
    expect(colorAdjustmentBps("Sunburst Orange / black roof")).toBe(-500n);
  });

  test("an unknown colour changes nothing", () => {
    expect(colorAdjustmentBps("Teal")).toBe(0n);
  });
});

describe("validateCar", () => {
  test("names the year when it is before 1900, after next year or missing", () => {
    expect(invalidField(() => validateCar({ color: "Blue", year: 1899 }, YEAR))).toBe("year");
    expect(invalidField(() => validateCar({ color: "Blue", year: YEAR + 2 }, YEAR))).toBe("year");
    expect(invalidField(() => validateCar({ color: "Blue", year: 0 }, YEAR))).toBe("year");
    expect(() => validateCar({ color: "Blue", year: 1899 }, YEAR)).toThrow("year must be 1900 to 2027, got 1899");
  });

  test("names the colour when it is empty, blank or longer than 32 characters", () => {
    expect(invalidField(() => validateCar({ color: "", year: 2015 }, YEAR))).toBe("color");
    expect(invalidField(() => validateCar({ color: "   ", year: 2015 }, YEAR))).toBe("color");
    expect(invalidField(() => validateCar({ color: "x".repeat(33), year: 2015 }, YEAR))).toBe("color");
    expect(invalidField(() => validateCar({ color: "x".repeat(32), year: 2015 }, YEAR))).toBeUndefined();
  });
});

describe("validateCar follows the shared vehicle rules the API lists cars by", () => {
  const { color, year } = VEHICLE_RULES;
  const message = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return (error as Error).message;
    }
  };

  test("it accepts exactly the rules' years and colours", () => {
    for (const y of [year.minimum, YEAR, latestModelYear(YEAR)]) expect(invalidField(() => validateCar({ color: "Blue", year: y }, YEAR))).toBeUndefined();
    for (const y of [year.minimum - 1, latestModelYear(YEAR) + 1]) expect(invalidField(() => validateCar({ color: "Blue", year: y }, YEAR))).toBe("year");
    expect(invalidField(() => validateCar({ color: "x".repeat(color.maxLength), year: 2015 }, YEAR))).toBeUndefined();
    expect(invalidField(() => validateCar({ color: "x".repeat(color.maxLength + 1), year: 2015 }, YEAR))).toBe("color");
  });

  test("its messages are the field followed by the rules' reason", () => {
    expect(message(() => validateCar({ color: "Blue", year: year.minimum - 1 }, YEAR))).toBe(`year ${yearReason(year.minimum - 1, YEAR)}`);
    expect(message(() => validateCar({ color: "", year: 2015 }, YEAR))).toBe(`color ${colorReason("")}`);
  });
});
