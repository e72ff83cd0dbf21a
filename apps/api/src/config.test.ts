import { expect, test } from "bun:test";
import { ConfigError } from "@forecourt/shared/platform";
import { loadConfig } from "./config.ts";

test("defaults: port 3000, 200 demo vehicles, no crash hook, no index snapshot", () => {
  expect(loadConfig({})).toMatchObject({ port: 3000, demoVehicles: 200, crashAfter: undefined, snapshotPath: undefined, snapshotIntervalMs: 60_000 });
});

test("the index snapshot's file and interval are read from API_SNAPSHOT_PATH and API_SNAPSHOT_INTERVAL_MS", () => {
  expect(loadConfig({ API_SNAPSHOT_PATH: ".data/api/x.snapshot", API_SNAPSHOT_INTERVAL_MS: "5000" })).toMatchObject({ snapshotPath: ".data/api/x.snapshot", snapshotIntervalMs: 5_000 });
  expect(() => loadConfig({ API_SNAPSHOT_INTERVAL_MS: "10" })).toThrow(/API_SNAPSHOT_INTERVAL_MS/);
});

test("every bad variable is named at once", () => {
  try {
    loadConfig({ API_PORT: "http", DEMO_VEHICLES: "-1", API_CRASH_AFTER: "sometimes" });
    throw new Error("no error");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split(" ")[0])).toEqual(["API_CRASH_AFTER", "API_PORT", "DEMO_VEHICLES"]);
  }
});
