import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { natsConfFor } from "./nats-conf.ts";

const conf = readFileSync(join(import.meta.dir, "..", "..", "nats.conf"), "utf8");

test("nats.conf includes the auth file bun run dev renders, and keeps its store under .data", () => {
  expect(conf).toMatch(/^include "\.data\/credentials\/nats-auth\.conf"$/m);
  expect(conf).toMatch(/^\s*store_dir: "\.data\/nats"$/m);
  expect(natsConfFor(conf, {})).toBe(conf);
});

test("a copy beside the auth file names a moved store by absolute path and includes the auth file by name, the rest kept", () => {
  const moved = natsConfFor(conf, { storeDir: "/tmp/store", include: "nats-auth.conf" });
  expect(moved).toMatch(/^\s*store_dir: "\/tmp\/store"$/m);
  expect(moved).toMatch(/^include "nats-auth\.conf"$/m);
  expect(moved).toContain("listen: 127.0.0.1:4222");
  expect(moved).not.toMatch(/^[^#]*\.data\//m);
});
