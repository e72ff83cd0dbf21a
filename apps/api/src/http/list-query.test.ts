import { expect, test } from "bun:test";
import { listQueryErrors } from "./list-query.ts";

const fields = (query: string) => listQueryErrors(new URLSearchParams(query)).map((e) => e.field);

test("a plain or filtered page query is fine", () => {
  expect(fields("")).toEqual([]);
  expect(fields("index=990000&count=10&manufacturer=ford&model=ford-fiesta&color=Red&year=2019")).toEqual([]);
  expect(fields("count=1")).toEqual([]);
  expect(fields("count=100")).toEqual([]);
});

test("count must be 1 to 100 and index a whole number, never negative", () => {
  expect(fields("count=0")).toEqual(["query.count"]);
  expect(fields("count=101")).toEqual(["query.count"]);
  expect(fields("count=ten")).toEqual(["query.count"]);
  expect(fields("index=-1")).toEqual(["query.index"]);
  expect(fields("index=1.5")).toEqual(["query.index"]);
  expect(fields("index=-1&count=0&year=x&color=")).toEqual(["query.index", "query.count", "query.year", "query.color"]);
});

test("reasons quote what was sent", () => {
  expect(listQueryErrors(new URLSearchParams("count=500"))[0]?.reason).toBe('must be an integer 1 to 100, got "500"');
});
