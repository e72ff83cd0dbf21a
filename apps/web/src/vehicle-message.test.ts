import { expect, test } from "bun:test";
import { encodeEvent, InvalidEventError } from "@forecourt/shared/contracts";
import { toVehicleMessage } from "./vehicle-message.ts";

const listed = { registration: "AB12CDE", manufacturerCode: "ford", manufacturerName: "Ford", modelCode: "ford-fiesta", modelName: "Fiesta", color: "Blue", year: 2015, listedAt: "2026-11-28T10:00:00.000Z" };

test("a stream message becomes a vehicle frame carrying its sequence, kind, origin and body", () => {
  const frame = toVehicleMessage({ subject: "forecourt.vehicles.listed.ford.ford-fiesta.alice", data: encodeEvent("listed", listed), seq: 7, timestampNanos: 1_790_000_000_123_456_789 }, false);
  expect(frame).toEqual({ type: "vehicle", seq: 7, event: "listed", backlog: false, publishedAt: new Date(1_790_000_000_123).toISOString(), origin: "alice", vehicle: listed });
});

test("a priced frame says whose calculator priced the car", () => {
  const priced = { ...listed, price: 7450, currencyCode: "GBP", pricedAt: "2026-11-28T10:00:01.000Z", pricedBy: "bob" };
  const frame = toVehicleMessage({ subject: "forecourt.vehicles.priced.ford.ford-fiesta.carol", data: encodeEvent("priced", priced), seq: 8, timestampNanos: 0 }, true);
  expect(frame).toMatchObject({ event: "priced", origin: "carol", pricedBy: "bob", backlog: true, vehicle: priced });
});

test("bodies that break the contract and foreign subjects are refused", () => {
  const bad = (subject: string, data: Uint8Array) => () => toVehicleMessage({ subject, data, seq: 1, timestampNanos: 0 }, false);
  expect(bad("forecourt.vehicles.listed.ford.ford-fiesta.alice", new TextEncoder().encode("{}"))).toThrow(InvalidEventError);
  expect(bad("forecourt.vehicles.sold.ford.ford-fiesta.alice", encodeEvent("listed", listed))).toThrow(InvalidEventError);
});
