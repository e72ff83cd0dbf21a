import { expect, test } from "bun:test";
import { decodeEvent, encodeEvent, type VehicleListedEvent } from "@forecourt/shared/contracts";
import { pricedEvent, pricedMsgId, pricedSubject } from "./priced-event.ts";

const listed: VehicleListedEvent = {
  registration: "AB12CDE",
  manufacturerCode: "ford",
  manufacturerName: "Ford",
  modelCode: "ford-fiesta",
  modelName: "Fiesta",
  color: "Blue",
  year: 2015,
  listedAt: "2026-11-28T10:00:00.000Z",
};

test("a priced event carries every listed field plus the quote and when it was priced", () => {
  const event = pricedEvent(listed, { price: 7450, currencyCode: "GBP" }, new Date("2026-11-28T10:00:01.000Z"));
  expect(event).toEqual({ ...listed, price: 7450, currencyCode: "GBP", pricedAt: "2026-11-28T10:00:01.000Z" });
  expect(decodeEvent("priced", encodeEvent("priced", event))).toEqual(event);
});

test("priced events go to forecourt.vehicles.priced.<manufacturer>.<model>", () => {
  expect(pricedSubject(listed)).toBe("forecourt.vehicles.priced.ford.ford-fiesta");
});

test("the same listing always yields the same message id, a relisting a new one", () => {
  expect(pricedMsgId(listed)).toBe(pricedMsgId({ ...listed }));
  expect(pricedMsgId({ ...listed, listedAt: "2026-11-29T10:00:00.000Z" })).not.toBe(pricedMsgId(listed));
});
