import { expect, test } from "bun:test";
import { CONSUMERS, parseVehicleSubject, STREAMS, vehicleSubject } from "./subjects.ts";

test("vehicle subjects follow forecourt.vehicles.<event>.<manufacturer>.<model>", () => {
  expect(vehicleSubject("listed", "ford", "ford-fiesta")).toBe("forecourt.vehicles.listed.ford.ford-fiesta");
  expect(parseVehicleSubject("forecourt.vehicles.priced.ford.ford-fiesta")).toEqual({ kind: "priced", manufacturerCode: "ford", modelCode: "ford-fiesta" });
});

test("wildcards and dots in codes cannot escape their subject token", () => {
  expect(vehicleSubject("listed", "a.b", "*")).toBe("forecourt.vehicles.listed.a_b._");
});

test("subjects that are not vehicle events do not parse", () => {
  expect(parseVehicleSubject("forecourt.vehicles.sold.ford.ford-fiesta")).toBeUndefined();
  expect(parseVehicleSubject("forecourt.vehicles.listed.ford")).toBeUndefined();
});

test("stream and consumer names use only NATS-safe characters", () => {
  for (const name of [...Object.values(STREAMS).map((s) => s.name), ...Object.values(CONSUMERS)]) {
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
  }
});
