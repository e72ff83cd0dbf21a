import { describe, expect, test } from "bun:test";
import type { StoredVehicle } from "./stored-vehicle.ts";
import { VehicleIndex } from "./vehicle-index.ts";

function vehicle(registration: string, modelCode: string, color: string, year: number, extra: Partial<StoredVehicle> = {}): StoredVehicle {
  const manufacturerCode = modelCode.split("-")[0]!;
  return {
    registration,
    manufacturerCode,
    manufacturerName: manufacturerCode,
    modelCode,
    modelName: modelCode,
    color,
    year,
    listedAt: "2026-01-01T00:00:00.000Z",
    ...extra,
  };
}

function seeded(): VehicleIndex {
  const index = new VehicleIndex();
  index.apply("C3", 1, vehicle("C3", "ford-focus", "Red", 2019));
  index.apply("A1", 2, vehicle("A1", "ford-fiesta", "Blue", 2019));
  index.apply("B2", 3, vehicle("B2", "volkswagen-golf", "red", 2020));
  index.apply("D4", 4, vehicle("D4", "ford-fiesta", "Red", 2020));
  return index;
}

const regs = (page: { items: { registration: string }[] }) => page.items.map((v) => v.registration);

describe("vehicle index", () => {
  test("pages come in registration order", () => {
    const index = seeded();
    expect(regs(index.page({}, 0, 10))).toEqual(["A1", "B2", "C3", "D4"]);
    expect(index.page({}, 1, 2)).toMatchObject({ total: 4 });
    expect(regs(index.page({}, 1, 2))).toEqual(["B2", "C3"]);
  });

  test("filters by manufacturer, model, colour (any case) and year, alone or together", () => {
    const index = seeded();
    expect(regs(index.page({ manufacturer: "ford" }, 0, 10))).toEqual(["A1", "C3", "D4"]);
    expect(regs(index.page({ model: "ford-fiesta" }, 0, 10))).toEqual(["A1", "D4"]);
    expect(regs(index.page({ color: "RED" }, 0, 10))).toEqual(["B2", "C3", "D4"]);
    expect(regs(index.page({ year: 2020 }, 0, 10))).toEqual(["B2", "D4"]);
    expect(regs(index.page({ manufacturer: "ford", color: "red" }, 0, 10))).toEqual(["C3", "D4"]);
    expect(index.page({ manufacturer: "tesla" }, 0, 10)).toEqual({ total: 0, items: [] });
  });

  test("combined-filter indexes follow later changes", () => {
    const index = seeded();
    expect(regs(index.page({ manufacturer: "ford", year: 2020 }, 0, 10))).toEqual(["D4"]);
    index.apply("E5", 5, vehicle("E5", "ford-puma", "Grey", 2020));
    index.apply("D4", 6, vehicle("D4", "ford-fiesta", "Red", 2018));
    expect(regs(index.page({ manufacturer: "ford", year: 2020 }, 0, 10))).toEqual(["E5"]);
  });

  test("an older revision never overwrites a newer one, nor revives a deleted car", () => {
    const index = seeded();
    index.apply("A1", 10, vehicle("A1", "ford-fiesta", "Green", 2019));
    index.apply("A1", 2, vehicle("A1", "ford-fiesta", "Blue", 2019));
    expect(index.get("A1")?.color).toBe("Green");
    index.apply("B2", 11, undefined);
    index.apply("B2", 3, vehicle("B2", "volkswagen-golf", "red", 2020));
    expect(index.get("B2")).toBeUndefined();
    expect(index.size).toBe(3);
    index.apply("B2", 12, vehicle("B2", "volkswagen-golf", "Black", 2021));
    expect(index.get("B2")?.color).toBe("Black");
  });

  test("a car being removed is hidden at once, and gone once deleted", () => {
    const index = seeded();
    const pending = { kind: "removed", msgId: "m1", subject: "s", body: { ...vehicle("C3", "ford-focus", "Red", 2019), removedAt: "2026-01-02T00:00:00.000Z" }, traceparent: "t" } as const;
    index.apply("C3", 20, vehicle("C3", "ford-focus", "Red", 2019, { removing: true, pending }));
    expect(index.get("C3")).toBeUndefined();
    expect(regs(index.page({ color: "red" }, 0, 10))).toEqual(["B2", "D4"]);
    expect(index.size).toBe(3);
    index.apply("C3", 21, undefined);
    expect(index.size).toBe(3);
    expect(regs(index.page({}, 0, 10))).toEqual(["A1", "B2", "D4"]);
  });
});
