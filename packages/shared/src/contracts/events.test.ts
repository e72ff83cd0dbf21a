import { expect, test } from "bun:test";
import { decodeEvent, encodeEvent, InvalidEventError, type VehiclePricedEvent } from "./events.ts";

const priced: VehiclePricedEvent = {
  registration: "AB12CDE",
  manufacturerCode: "ford",
  manufacturerName: "Ford",
  modelCode: "ford-fiesta",
  modelName: "Fiesta",
  color: "Blue",
  year: 2015,
  listedAt: "2026-11-28T10:00:00.000Z",
  price: 7450,
  currencyCode: "GBP",
  pricedBy: "alice",
  pricedAt: "2026-11-28T10:00:01.000Z",
};

test("an event round-trips through its proto JSON mapping", () => {
  expect(decodeEvent("priced", encodeEvent("priced", priced))).toEqual(priced);
});

test("int64 prices written as strings (proto3 JSON) decode to numbers", () => {
  const data = new TextEncoder().encode(JSON.stringify({ ...priced, price: "7450" }));
  expect(decodeEvent("priced", data).price).toBe(7450);
});

test("bodies that break the contract are rejected with a reason", () => {
  const bad = (body: unknown) => () => decodeEvent("listed", new TextEncoder().encode(typeof body === "string" ? body : JSON.stringify(body)));
  expect(bad("{not json")).toThrow(InvalidEventError);
  expect(bad({ ...priced, year: "nineteen" })).toThrow(/does not match/);
  expect(bad({ ...priced, registration: "" })).toThrow(/lacks registration/);
});
