import { expect, test } from "bun:test";
import { feedSubject, planStart } from "./resume.ts";

const bounds = { firstSeq: 1, lastSeq: 100 };

test("a fresh page starts at the beginning of the window", () => {
  expect(planStart(null, bounds, 10)).toEqual({ startSeq: 91, truncated: false });
  expect(planStart(null, bounds, 1000)).toEqual({ startSeq: 1, truncated: false });
  expect(planStart(null, { firstSeq: 50, lastSeq: 100 }, 1000)).toEqual({ startSeq: 50, truncated: false });
});

test("an empty stream starts at sequence 1", () => {
  expect(planStart(null, { firstSeq: 0, lastSeq: 0 }, 10)).toEqual({ startSeq: 1, truncated: false });
  expect(planStart(0, { firstSeq: 0, lastSeq: 0 }, 10)).toEqual({ startSeq: 1, truncated: false });
});

test("a resuming page continues right after its last sequence while inside the window", () => {
  expect(planStart(95, bounds, 10)).toEqual({ startSeq: 96, truncated: false });
  expect(planStart(90, bounds, 10)).toEqual({ startSeq: 91, truncated: false });
  expect(planStart(100, bounds, 10)).toEqual({ startSeq: 101, truncated: false });
});

test("a page that was away longer than the window gets the window and is told some events are missing", () => {
  expect(planStart(89, bounds, 10)).toEqual({ startSeq: 91, truncated: true });
  expect(planStart(5, { firstSeq: 40, lastSeq: 100 }, 1000)).toEqual({ startSeq: 40, truncated: true });
});

test("a sequence beyond the stream's end (stream recreated) carries on live", () => {
  expect(planStart(500, bounds, 10)).toEqual({ startSeq: 101, truncated: false });
});

test("in a workshop the manufacturer and participant filters are subject wildcards over every kind, model and origin", () => {
  const joined = { participant: "bob", sourcesOtherDomains: true };
  expect(feedSubject(null, null, joined)).toBe("forecourt.vehicles.>");
  expect(feedSubject("ford", null, joined)).toBe("forecourt.vehicles.*.ford.>");
  expect(feedSubject(null, "alice", joined)).toBe("forecourt.vehicles.*.*.*.alice");
  expect(feedSubject("ford", "alice", joined)).toBe("forecourt.vehicles.*.ford.*.alice");
});

test("while VEHICLES sources nobody its filters name its own origin (nats-server 2.9 refuses the wider ones), and another's match nothing", () => {
  const alone = { participant: "local", sourcesOtherDomains: false };
  expect(feedSubject(null, null, alone)).toBe("forecourt.vehicles.>");
  expect(feedSubject("ford", null, alone)).toBe("forecourt.vehicles.*.ford.*.local");
  expect(feedSubject(null, "local", alone)).toBe("forecourt.vehicles.*.*.*.local");
  expect(feedSubject("ford", "alice", alone)).toBeNull();
});
