import { expect, test } from "bun:test";
import { describeVehicle, formatPrice, moreText, originText, participantText, pricedByText, priceText, toastText, vehicleUrl } from "./format.ts";

const fiesta = { registration: "AB12CDE", manufacturerCode: "ford", manufacturerName: "Ford", modelCode: "ford-fiesta", modelName: "Fiesta", color: "Blue", year: 2015 };

test("a toast names the car and, once priced, its price in pounds", () => {
  expect(toastText({ ...fiesta, price: 7450, currencyCode: "GBP" }, "priced")).toBe("NEW VEHICLE! AB12CDE (Ford Fiesta, Blue, 2015): £7,450");
  expect(toastText(fiesta, "listed")).toBe("NEW VEHICLE! AB12CDE (Ford Fiesta, Blue, 2015): pricing…");
});

test("a model name that already includes the make is not doubled", () => {
  expect(toastText({ ...fiesta, modelName: "Ford Fiesta" }, "listed")).toContain("(Ford Fiesta, Blue");
});

test("fields that failed validation read as a dash, and a priced car without a valid price is not 'pricing…'", () => {
  expect(toastText({ registration: "AB12CDE" }, "priced")).toBe("NEW VEHICLE! AB12CDE (—, —, —): —");
  expect(describeVehicle({ manufacturerCode: "ford" })).toBe("ford");
  expect(describeVehicle({ modelName: "Fiesta" })).toBe("Fiesta");
  expect(priceText({ price: 100 })).toBe("—");
});

test("prices are whole units with grouping; other currencies keep their symbol", () => {
  expect(formatPrice(123456, "GBP")).toBe("£123,456");
  expect(formatPrice(999, "EUR")).toBe("€999");
});

test("a currency code Intl refuses gives a dash instead of throwing", () => {
  expect(formatPrice(5, "<script>alert(1)</script>")).toBe("—");
});

test("the summary toast counts the cars it stands for", () => {
  expect(moreText(1)).toBe("+1 more new car");
  expect(moreText(1234)).toBe("+1,234 more new cars");
});

test("the link is the vehicle's API resource, registration escaped", () => {
  expect(vehicleUrl("http://127.0.0.1:3000/", "AB12CDE")).toBe("http://127.0.0.1:3000/api/vehicles/AB12CDE");
  expect(vehicleUrl("http://h", "A B/1")).toBe("http://h/api/vehicles/A%20B%2F1");
});

test("a car's participant reads as its name, 'you' for the page's own, and '—' when it failed its rule", () => {
  expect(participantText("alice", "bob")).toBe("alice");
  expect(participantText("bob", "bob")).toBe("you");
  expect(participantText(undefined, "bob")).toBe("—");
  expect(originText({ origin: "alice" }, undefined)).toBe("from alice");
  expect(originText({}, "bob")).toBe("from —");
});

test("who priced a car shows once it is priced", () => {
  expect(pricedByText({}, "listed", "bob")).toBe("");
  expect(pricedByText({ pricedBy: "bob", price: 1 }, "priced", "alice")).toBe("by bob");
  expect(pricedByText({ pricedBy: "bob", price: 1 }, "priced", "bob")).toBe("by you");
  expect(pricedByText({ price: 1 }, "priced", "bob")).toBe("by —");
  expect(pricedByText({ pricedBy: "carol", price: 1 }, "removed", "bob")).toBe("by carol");
});
