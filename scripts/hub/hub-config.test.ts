import { expect, test } from "bun:test";
import { participantPermissions, renderHubConfig } from "./hub-config.ts";

const input = { host: "0.0.0.0", leafPort: 7422, clientPort: 7421, monitorPort: 8422, storeDir: "/data/hub/nats", adminPassword: "adminpw", participants: [{ name: "alice", password: "alicepw" }, { name: "bob", password: "bobpw" }] };

test("the hub is its own JetStream domain with a leaf listener on HOST and admin-only client and monitoring ports on loopback", () => {
  const conf = renderHubConfig(input);
  expect(conf).toContain('server_name: "hub"');
  expect(conf).toContain('jetstream { store_dir: "/data/hub/nats", domain: "hub" }');
  expect(conf).toContain('leafnodes { listen: "0.0.0.0:7422" }');
  expect(conf).toContain('listen: "127.0.0.1:7421"');
  expect(conf).toContain('http: "127.0.0.1:8422"');
  // No authorization block on the leaf listener: leaf links log in as account users, whose permissions apply.
  expect(conf).not.toMatch(/leafnodes\s*\{[^}]*authorization/);
});

test("the admin may connect only as a client, each participant only as a leaf node, with its own permissions", () => {
  const conf = renderHubConfig(input);
  expect(conf).toContain('{ user: "admin", password: "adminpw", allowed_connection_types: ["STANDARD"] }');
  expect(conf).toContain('{ user: "alice", password: "alicepw", allowed_connection_types: ["LEAFNODE"]');
  expect(conf).toContain('"$JS.alice.API.>"');
  expect(conf).toContain('"forecourt.vehicles.*.*.*.bob"');
});

test("a participant publishes only its own events and never changes the hub's streams", () => {
  const { publish, subscribe } = participantPermissions("carol");
  expect(publish.allow.filter((s) => s.startsWith("forecourt.vehicles"))).toEqual(["forecourt.vehicles.*.*.*.carol"]);
  expect(publish.allow).toContain("forecourt.pricing.get-price");
  // One token wider than the endpoint: nats-server 2.9 checks a leaf's queue interest as "<subject> <queue>".
  expect(subscribe.allow).toContain("forecourt.pricing.*");
  expect(publish.allow).toContain("$JS.hub.API.>");
  expect(publish.allow.some((s) => /^\$JS\.(?!hub\.)[^.]+\.API/.test(s))).toBe(false);
  for (const call of ["STREAM.CREATE.>", "STREAM.UPDATE.>", "STREAM.DELETE.>", "STREAM.PURGE.>", "STREAM.MSG.DELETE.>", "META.>"]) expect(publish.deny).toContain(`$JS.hub.API.${call}`);
  // The hub forwards everyone's events and only the participant's own domain's API calls.
  expect(subscribe.allow).toContain("forecourt.vehicles.>");
  expect(subscribe.allow.filter((s) => s.endsWith(".API.>"))).toEqual(["$JS.carol.API.>"]);
});
