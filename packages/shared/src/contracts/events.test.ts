import { describe, expect, test } from "bun:test";
import { CURRENCY_CODES, isCurrencyCode } from "./currencies.ts";
import { decodeEvent, encodeEvent, InvalidEventError, PRICED_EVENT_RULES, type VehiclePricedEvent } from "./events.ts";

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

describe("a priced event", () => {
  const now = new Date("2026-11-28T10:00:30.000Z");
  const decode = (body: Record<string, unknown>) => decodeEvent("priced", new TextEncoder().encode(JSON.stringify(body)), now);
  const refused = (change: Record<string, unknown>) => () => decode({ ...priced, ...change });

  test("that keeps the rules decodes, including the highest price and a pricedAt within the clock-skew allowance", () => {
    expect(decode({ ...priced, price: PRICED_EVENT_RULES.price.maximum }).price).toBe(PRICED_EVENT_RULES.price.maximum);
    const skewed = new Date(now.getTime() + PRICED_EVENT_RULES.maxClockSkewMs).toISOString();
    expect(decode({ ...priced, pricedAt: skewed }).pricedAt).toBe(skewed);
  });

  test("must carry an ISO 4217 code of a currency in circulation", () => {
    for (const currencyCode of ["<script>alert(1)</script>", "gbp", "GB", "ABC", "XAU", "XTS", ""]) {
      expect(refused({ currencyCode })).toThrow(/currencyCode must be an ISO 4217 code/);
    }
    expect(decode({ ...priced, currencyCode: "EUR" }).currencyCode).toBe("EUR");
  });

  test("must carry a positive whole price no higher than the bound", () => {
    expect(refused({ price: -5 })).toThrow(/price must be a whole number from 1 to 10,000,000, got -5/);
    expect(refused({ price: 0 })).toThrow(/price must be a whole number/);
    expect(refused({ price: 999_999_999 })).toThrow(/got 999999999/);
    expect(refused({ price: 7450.5 })).toThrow(InvalidEventError);
  });

  test("must not be priced in the future", () => {
    expect(refused({ pricedAt: "2099-01-01T00:00:00.000Z" })).toThrow(/pricedAt must not be in the future/);
    const justPast = new Date(now.getTime() + PRICED_EVENT_RULES.maxClockSkewMs + 1).toISOString();
    expect(refused({ pricedAt: justPast })).toThrow(/in the future/);
    expect(refused({ pricedAt: "yesterday" })).toThrow(/pricedAt must be an ISO-8601 timestamp/);
  });

  test("other kinds carry no price rules, and an empty dealer is left out", () => {
    const listed = decodeEvent("listed", encodeEvent("listed", { ...priced, dealer: "" }));
    expect(listed).not.toHaveProperty("dealer");
    expect(decodeEvent("listed", encodeEvent("listed", { ...priced, dealer: "autobarn" })).dealer).toBe("autobarn");
  });
});

test("the currency list holds only three-letter uppercase codes, GBP among them", () => {
  expect(CURRENCY_CODES.has("GBP")).toBe(true);
  for (const code of CURRENCY_CODES) expect(code).toMatch(/^[A-Z]{3}$/);
  expect(isCurrencyCode("GBP")).toBe(true);
  expect(isCurrencyCode(826)).toBe(false);
});
