import { expect, test } from "bun:test";
import { ConfigError } from "@forecourt/shared/platform";
import { loadConfig } from "./config.ts";

test("defaults to 50051 for HTTP/2, 3002 for HTTP/1.1, a 5 s limit for calls without a deadline and 64 KiB requests", () => {
  expect(loadConfig({})).toMatchObject({ port: 50051, httpPort: 3002, requestTimeoutMs: 5_000, readMaxBytes: 65_536 });
  expect(loadConfig({ PRICING_READ_MAX_BYTES: "1024" }).readMaxBytes).toBe(1024);
});

test("a request size limit that is not a positive whole number of bytes stops the app, naming it", () => {
  expect(() => loadConfig({ PRICING_READ_MAX_BYTES: "64k" })).toThrow('PRICING_READ_MAX_BYTES must be an integer 1-67108864, got "64k"');
  expect(() => loadConfig({ PRICING_READ_MAX_BYTES: "0" })).toThrow("PRICING_READ_MAX_BYTES");
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
