import { expect, test } from "bun:test";
import { participantNameProblem } from "./participants.ts";

test("names of 1-20 lowercase letters, digits and hyphens are accepted", () => {
  for (const name of ["a", "alice", "team-7", "0", "abcdefghij0123456789", "-x-"]) expect(participantNameProblem(name)).toBeUndefined();
});

test("anything else gets a one-line reason naming the value", () => {
  for (const name of ["", "Alice", "al ice", "al.ice", "al*", "al>", "abcdefghij0123456789x", "élodie", "a_b"]) {
    const problem = participantNameProblem(name);
    expect(problem).toContain("1-20 lowercase letters, digits and hyphens");
    expect(problem).toContain(JSON.stringify(name));
    expect(problem).not.toContain("\n");
  }
});

test("the hub's own domain and user names are refused", () => {
  expect(participantNameProblem("hub")).toContain("taken by the hub");
  expect(participantNameProblem("admin")).toContain("taken by the hub");
});
