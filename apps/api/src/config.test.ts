import { expect, test } from "bun:test";
import { ConfigError } from "@forecourt/shared/platform";
import { loadConfig } from "./config.ts";

test("defaults: port 3000, 200 demo vehicles, no crash hook", () => {
  expect(loadConfig({})).toMatchObject({ port: 3000, demoVehicles: 200, crashAfter: undefined });
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
