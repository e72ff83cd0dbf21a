import { describe, expect, test } from "bun:test";
import { finalIndex, modelResource, pageLinks, vehicleResource, vehiclesHref } from "./hal.ts";
import { EXAMPLE_VEHICLE } from "./docs.ts";

describe("page links", () => {
  test("the first page has next and final but no previous", () => {
    const links = pageLinks(0, 10, 35);
    expect(links.previous).toBeUndefined();
    expect(links.next?.href).toBe("/api/vehicles?index=10&count=10");
    expect(links.final.href).toBe("/api/vehicles?index=30&count=10");
    expect(links.first.href).toBe("/api/vehicles?index=0&count=10");
    expect(links.self.href).toBe("/api/vehicles?index=0&count=10");
  });

  test("previous is never negative", () => {
    expect(pageLinks(3, 10, 35).previous?.href).toBe("/api/vehicles?index=0&count=10");
    expect(pageLinks(20, 10, 35).previous?.href).toBe("/api/vehicles?index=10&count=10");
  });

  test("the last page has no next", () => {
    expect(pageLinks(30, 10, 35).next).toBeUndefined();
    expect(pageLinks(25, 10, 35).next).toBeUndefined();
    expect(pageLinks(20, 10, 30).next).toBeUndefined();
  });

  test("final is the last non-empty page, even when the total is a multiple of count", () => {
    expect(finalIndex(0, 10, 30)).toBe(20);
    expect(finalIndex(0, 10, 31)).toBe(30);
    expect(finalIndex(3, 10, 35)).toBe(33);
    expect(finalIndex(3, 10, 33)).toBe(23);
    expect(finalIndex(0, 10, 0)).toBe(0);
    expect(finalIndex(0, 10, 1)).toBe(0);
    expect(finalIndex(7, 10, 5)).toBe(0);
  });

  test("following next from any page ends on final", () => {
    for (const [index, count, total] of [[0, 10, 35], [3, 7, 100], [0, 1, 5], [12, 5, 13]] as const) {
      let links = pageLinks(index, count, total);
      let at = index;
      while (links.next) {
        at += count;
        links = pageLinks(at, count, total);
      }
      expect(links.final.href).toBe(links.self.href);
    }
  });

  test("every link keeps the filter", () => {
    const links = pageLinks(10, 10, 50, { manufacturer: "ford", color: "Red", year: 2019 });
    for (const link of [links.self, links.first, links.previous, links.next, links.final]) {
      expect(link?.href).toContain("manufacturer=ford&color=Red&year=2019");
    }
  });

  test("filter values are URL-encoded", () => {
    expect(vehiclesHref(0, 10, { color: "Dark Blue&x=1" })).toBe("/api/vehicles?index=0&count=10&color=Dark+Blue%26x%3D1");
  });
});

describe("resources", () => {
  const { price: _price, ...vehicle } = EXAMPLE_VEHICLE;

  test("a vehicle links to itself, its model and manufacturer, with update and delete actions", () => {
    const resource = vehicleResource(vehicle);
    expect(resource._links.self.href).toBe("/api/vehicles/AB12CDE");
    expect(resource._links.model.href).toBe("/api/models/ford-fiesta");
    expect(resource._links.manufacturer.href).toBe("/api/manufacturers/ford");
    expect(resource._actions.update.method).toBe("PUT");
    expect(resource._actions.delete.method).toBe("DELETE");
    expect("price" in resource).toBe(false);
  });

  test("a priced vehicle shows amount and currency", () => {
    const resource = vehicleResource({ ...vehicle, price: { amount: 12_345, currencyCode: "GBP", pricedAt: "2026-01-01T00:00:01.000Z" } });
    expect(resource.price).toEqual({ amount: 12_345, currencyCode: "GBP" });
  });

  test("a model describes the POST that lists a car of it", () => {
    const resource = modelResource({ code: "ford-fiesta", manufacturerCode: "ford", name: "Fiesta", basePrice: 19_500 });
    expect(resource._actions.create).toMatchObject({ href: "/api/models/ford-fiesta", method: "POST", type: "application/json" });
    expect(resource._actions.create.fields.map((f) => f.name)).toEqual(["registration", "color", "year"]);
  });
});
