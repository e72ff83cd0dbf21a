import { expect, test } from "bun:test";
import { encodeEvent, InvalidEventError } from "@forecourt/shared/contracts";
import { FrameCache } from "./frame-cache.ts";

const listed = { registration: "AB12CDE", manufacturerCode: "ford", manufacturerName: "Ford", modelCode: "ford-fiesta", modelName: "Fiesta", color: "Blue", year: 2015, listedAt: "2026-11-28T10:00:00.000Z" };
const message = (seq: number, data = encodeEvent("listed", listed)) => ({ subject: "forecourt.vehicles.listed.ford.ford-fiesta.local", data, seq, timestampNanos: 0 });

test("one sequence yields the same text for every socket, with its backlog flag", () => {
  const cache = new FrameCache();
  const live = cache.frame(message(1), false);
  expect(cache.frame(message(1), false)).toBe(live);
  expect(JSON.parse(live)).toMatchObject({ type: "vehicle", seq: 1, backlog: false, vehicle: { registration: "AB12CDE" } });
  expect(JSON.parse(cache.frame(message(1), true)).backlog).toBe(true);
});

test("the oldest sequences are forgotten beyond capacity", () => {
  const cache = new FrameCache(2);
  for (const seq of [1, 2, 3]) cache.frame(message(seq), false);
  expect(cache.size).toBe(2);
});

test("an invalid body is refused every time it is asked for", () => {
  const cache = new FrameCache();
  const bad = message(9, new TextEncoder().encode("{}"));
  expect(() => cache.frame(bad, false)).toThrow(InvalidEventError);
  expect(() => cache.frame(bad, true)).toThrow(InvalidEventError);
});
