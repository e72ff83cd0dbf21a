import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { leafRemoteUrl, renderStackConfig } from "./workshop-config.ts";

const base = readFileSync(join(import.meta.dir, "../../nats.conf"), "utf8");
const join_ = { participant: "alice", leafAddress: "hub.example:7422", user: "alice", password: "s3cret" };

test("without a hub the stack keeps nats.conf, with its own store", () => {
  const conf = renderStackConfig({ base, storeDir: "/data/offset-10/nats" });
  expect(conf).toContain('store_dir: "/data/offset-10/nats"');
  expect(conf).not.toContain(".data/nats");
  expect(conf).not.toContain("leafnodes");
  expect(conf).not.toContain("domain:");
  expect(conf.replace(/store_dir:.*/, "")).toBe(base.replace(/store_dir:.*/, "").replace(/^include .*\n/m, ""));
});

test("the users' auth file is included by the path given (relative to the config), or not at all", () => {
  expect(base).toMatch(/^include "\.data\/credentials\/nats-auth\.conf"$/m);
  const included = renderStackConfig({ base, storeDir: "/s", include: "../credentials/nats-auth.conf" });
  expect(included).toMatch(/^include "\.\.\/credentials\/nats-auth\.conf"$/m);
  expect(included.match(/^include /gm)).toHaveLength(1);
  expect(renderStackConfig({ base, storeDir: "/s" })).not.toMatch(/^include /m);
});

test("a joining stack is named after its participant, is its own JetStream domain and a leaf node of the hub", () => {
  const conf = renderStackConfig({ base, storeDir: "/s", join: join_ });
  expect(conf).toContain('server_name: "alice"');
  expect(conf).toMatch(/jetstream \{\n[^}]*domain: "alice"[^}]*store_dir: "\/s"/);
  expect(conf).toContain('remotes: [ { url: "nats-leaf://alice:s3cret@hub.example:7422", deny_imports: ["forecourt.vehicles.*.*.*.alice"] } ]');
  expect(conf.match(/^server_name:/gm)).toHaveLength(1);
});

test("the leaf link can bind a local account, for stacks whose users live in one", () => {
  expect(renderStackConfig({ base, storeDir: "/s", join: { ...join_, localAccount: "FORECOURT" } })).toContain('{ url: "nats-leaf://alice:s3cret@hub.example:7422", account: "FORECOURT", deny_imports:');
});

test("credentials are escaped inside the remote URL", () => {
  expect(leafRemoteUrl({ leafAddress: "h:1", user: "a", password: "p@ss:w/rd" })).toBe("nats-leaf://a:p%40ss%3Aw%2Frd@h:1");
});
