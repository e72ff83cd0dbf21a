import { expect, test } from "bun:test";
import { hubStatusFrom } from "./hub-link.ts";

test("a server without leaf remotes has not joined a hub", () => {
  expect(hubStatusFrom({ varz: {}, leafz: { leafnodes: 0 } })).toBe("not-joined");
  expect(hubStatusFrom({ varz: { leaf: { remotes: [] } }, leafz: { leafnodes: 0 } })).toBe("not-joined");
});

test("a server with a remote is connected while a leaf link is up, disconnected otherwise", () => {
  const varz = { leaf: { remotes: [{ urls: ["hub.example:7422"] }] } };
  expect(hubStatusFrom({ varz, leafz: { leafnodes: 1 } })).toBe("connected");
  expect(hubStatusFrom({ varz, leafz: { leafnodes: 0 } })).toBe("disconnected");
  expect(hubStatusFrom({ varz, leafz: {} })).toBe("disconnected");
});
