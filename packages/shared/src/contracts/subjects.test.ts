import { expect, test } from "bun:test";
import { CONSUMERS, hubStreamName, parseVehicleSubject, STREAMS, vehicleFilter, vehicleStreamSubjects, vehicleSubject } from "./subjects.ts";

test("vehicle subjects follow forecourt.vehicles.<event>.<manufacturer>.<model>.<origin>", () => {
  expect(vehicleSubject("listed", "ford", "ford-fiesta", "alice")).toBe("forecourt.vehicles.listed.ford.ford-fiesta.alice");
  expect(parseVehicleSubject("forecourt.vehicles.priced.ford.ford-fiesta.bob")).toEqual({ kind: "priced", manufacturerCode: "ford", modelCode: "ford-fiesta", origin: "bob" });
});

test("a subject stored before subjects carried their origin reads as the local participant's", () => {
  expect(parseVehicleSubject("forecourt.vehicles.listed.ford.ford-fiesta")).toEqual({ kind: "listed", manufacturerCode: "ford", modelCode: "ford-fiesta", origin: "local" });
});

test("wildcards and dots in codes cannot escape their subject token", () => {
  expect(vehicleSubject("listed", "a.b", "*", "x>")).toBe("forecourt.vehicles.listed.a_b._.x_");
  expect(vehicleFilter({ manufacturer: "a.*" })).toBe("forecourt.vehicles.*.a__.>");
});

test("subjects that are not vehicle events do not parse", () => {
  expect(parseVehicleSubject("forecourt.vehicles.sold.ford.ford-fiesta.alice")).toBeUndefined();
  expect(parseVehicleSubject("forecourt.vehicles.listed.ford")).toBeUndefined();
  expect(parseVehicleSubject("forecourt.vehicles.listed.ford.ford-fiesta.alice.extra")).toBeUndefined();
});

test("filters name only the parts given; without an origin they end in > so every participant matches", () => {
  expect(vehicleFilter()).toBe("forecourt.vehicles.>");
  expect(vehicleFilter({ kind: "listed" })).toBe("forecourt.vehicles.listed.>");
  expect(vehicleFilter({ manufacturer: "ford" })).toBe("forecourt.vehicles.*.ford.>");
  expect(vehicleFilter({ origin: "alice" })).toBe("forecourt.vehicles.*.*.*.alice");
  expect(vehicleFilter({ kind: "priced", origin: "bob" })).toBe("forecourt.vehicles.priced.*.*.bob");
  expect(vehicleFilter({ manufacturer: "ford", origin: "bob" })).toBe("forecourt.vehicles.*.ford.*.bob");
});

test("a participant's VEHICLES captures only its own origin; hub streams are named after participants", () => {
  expect(vehicleStreamSubjects("carol")).toEqual(["forecourt.vehicles.*.*.*.carol"]);
  expect(hubStreamName("carol")).toBe("P_carol");
});

test("stream and consumer names use only NATS-safe characters", () => {
  for (const name of [...Object.values(STREAMS).map((s) => s.name), ...Object.values(CONSUMERS), hubStreamName("team-7")]) {
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
  }
});
