import { expect, test } from "bun:test";
import { ConfigError } from "@forecourt/shared/platform";
import { loadConfig } from "./config.ts";

test("defaults to 50051 for HTTP/2, 3002 for HTTP/1.1 and a 5 s limit for calls without a deadline", () => {
  expect(loadConfig({})).toMatchObject({ port: 50051, httpPort: 3002, requestTimeoutMs: 5_000 });
});

test("names every bad variable at once", () => {
  try {
    loadConfig({ PRICING_PORT: "http", PRICING_REQUEST_TIMEOUT_MS: "0" });
    throw new Error("expected a ConfigError");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join("\n")).toContain("PRICING_PORT");
    expect((error as ConfigError).problems.join("\n")).toContain("PRICING_REQUEST_TIMEOUT_MS");
  }
});
