import { expect, test } from "bun:test";
import fc from "fast-check";
import { SortedKeys } from "./sorted-keys.ts";

test("keys come back in registration order whatever order they were added in", () => {
  const keys = new SortedKeys();
  for (const k of ["ZZ1", "AB12CDE", "A1", "AA", "M5"]) keys.add(k);
  expect(keys.slice(0, 10)).toEqual(["A1", "AA", "AB12CDE", "M5", "ZZ1"]);
  expect(keys.slice(2, 2)).toEqual(["AB12CDE", "M5"]);
  expect(keys.size).toBe(5);
});

test("adding twice keeps one copy and removing an absent key changes nothing", () => {
  const keys = new SortedKeys();
  keys.add("B");
  keys.slice(0, 1);
  keys.add("B");
  keys.remove("C");
  expect(keys.size).toBe(1);
  expect(keys.slice(0, 5)).toEqual(["B"]);
});

test("any sequence of adds and removes matches a plain sorted set", () => {
  const op = fc.record({ add: fc.boolean(), key: fc.stringMatching(/^[A-C0-2]{1,3}$/), read: fc.boolean() });
  fc.assert(
    fc.property(fc.array(op, { maxLength: 600 }), (ops) => {
      const keys = new SortedKeys();
      const model = new Set<string>();
      for (const { add, key, read } of ops) {
        if (add) {
          keys.add(key);
          model.add(key);
        } else {
          keys.remove(key);
          model.delete(key);
        }
        expect(keys.has(key)).toBe(model.has(key));
        if (read) expect(keys.slice(0, model.size + 1)).toEqual([...model].sort());
      }
      expect(keys.size).toBe(model.size);
      expect(keys.slice(0, model.size)).toEqual([...model].sort());
    }),
    { numRuns: 200 },
  );
});

test("keys taken already ordered (from a snapshot) then change like any other", () => {
  const keys = SortedKeys.fromSorted(["A1", "B2", "C3"]);
  keys.add("B1");
  keys.remove("C3");
  expect(keys.slice(0, 10)).toEqual(["A1", "B1", "B2"]);
  expect(keys.size).toBe(3);
});
