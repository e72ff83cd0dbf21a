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

test("a priced event carries every listed field plus the quote, who priced it and when", () => {
  const event = pricedEvent(listed, { price: 7450, currencyCode: "GBP", pricedBy: "bob" }, new Date("2026-11-28T10:00:01.000Z"));
  expect(event).toEqual({ ...listed, price: 7450, currencyCode: "GBP", pricedAt: "2026-11-28T10:00:01.000Z", pricedBy: "bob" });
  expect(decodeEvent("priced", encodeEvent("priced", event))).toEqual(event);
});

test("priced events go to forecourt.vehicles.priced.<manufacturer>.<model>.<the car's origin>", () => {
  expect(pricedSubject(listed, "alice")).toBe("forecourt.vehicles.priced.ford.ford-fiesta.alice");
});

test("the same listing always yields the same message id, a relisting or another participant's car a new one", () => {
  expect(pricedMsgId(listed, "alice")).toBe(pricedMsgId({ ...listed }, "alice"));
  expect(pricedMsgId({ ...listed, listedAt: "2026-11-29T10:00:00.000Z" }, "alice")).not.toBe(pricedMsgId(listed, "alice"));
  expect(pricedMsgId(listed, "bob")).not.toBe(pricedMsgId(listed, "alice"));
});
