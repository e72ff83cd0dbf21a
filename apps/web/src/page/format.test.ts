import { expect, test } from "bun:test";
import { formatPrice, toastText, vehicleUrl } from "./format.ts";

const fiesta = { registration: "AB12CDE", manufacturerCode: "ford", manufacturerName: "Ford", modelCode: "ford-fiesta", modelName: "Fiesta", color: "Blue", year: 2015, listedAt: "2026-11-28T10:00:00.000Z" };

test("a toast names the car and, once priced, its price in pounds", () => {
  expect(toastText({ ...fiesta, price: 7450, currencyCode: "GBP" })).toBe("NEW VEHICLE! AB12CDE (Ford Fiesta, Blue, 2015): £7,450");
  expect(toastText(fiesta)).toBe("NEW VEHICLE! AB12CDE (Ford Fiesta, Blue, 2015): pricing…");
});

test("a model name that already includes the make is not doubled", () => {
  expect(toastText({ ...fiesta, modelName: "Ford Fiesta" })).toContain("(Ford Fiesta, Blue");
});

test("prices are whole units with grouping; other currencies keep their symbol", () => {
  expect(formatPrice(123456)).toBe("£123,456");
  expect(formatPrice(999, "EUR")).toBe("€999");
});

test("the link is the vehicle's API resource, registration escaped", () => {
  expect(vehicleUrl("http://127.0.0.1:3000/", "AB12CDE")).toBe("http://127.0.0.1:3000/api/vehicles/AB12CDE");
  expect(vehicleUrl("http://h", "A B/1")).toBe("http://h/api/vehicles/A%20B%2F1");
});
