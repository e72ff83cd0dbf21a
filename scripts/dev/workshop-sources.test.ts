import { expect, test } from "bun:test";
import { desiredSources, sameSources } from "./workshop-sources.ts";

test("VEHICLES sources every other participant's hub stream, never its own, through the hub's domain", () => {
  expect(desiredSources("bob", ["P_carol", "P_alice", "P_bob", "KV_workshop"])).toEqual([
    { name: "P_alice", external: { api: "$JS.hub.API", deliver: "" } },
    { name: "P_carol", external: { api: "$JS.hub.API", deliver: "" } },
  ]);
  expect(desiredSources("alice", ["P_alice"])).toEqual([]);
});

test("sources compare by name and API, in any order", () => {
  const wanted = desiredSources("bob", ["P_alice", "P_carol"]);
  expect(sameSources([...wanted].reverse(), wanted)).toBe(true);
  expect(sameSources(undefined, [])).toBe(true);
  expect(sameSources(wanted.slice(0, 1), wanted)).toBe(false);
});
