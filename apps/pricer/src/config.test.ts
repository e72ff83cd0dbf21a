import { expect, test } from "bun:test";
import { ConfigError } from "@forecourt/shared/platform";
import { loadConfig } from "./config.ts";

test("defaults point at the local price calculator with doubling retries from 250 ms", () => {
  const config = loadConfig({});
  expect(config.pricingUrls).toEqual(["http://127.0.0.1:50051"]);
  expect(config.consumer.backoff).toEqual({ initialMs: 250, maxMs: 30_000 });
  expect(config.consumer.maxDeliver).toBe(10);
});

test("PRICING_PORT moves the default price calculator URL; PRICING_URL overrides it", () => {
  expect(loadConfig({ PRICING_PORT: "43001" }).pricingUrls).toEqual(["http://127.0.0.1:43001"]);
  expect(loadConfig({ PRICING_URL: "http://pricing:9000/" }).pricingUrls).toEqual(["http://pricing:9000"]);
});

test("PRICING_URL takes several price calculators, comma-separated", () => {
  expect(loadConfig({ PRICING_URL: "http://a:50051, http://b:50061/" }).pricingUrls).toEqual(["http://a:50051", "http://b:50061"]);
  expect(() => loadConfig({ PRICING_URL: "http://a:50051,," })).toThrow('PRICING_URL must be base URLs, comma-separated');
});

test("every bad variable is named at once", () => {
  try {
    loadConfig({ PRICER_MAX_DELIVER: "0", PRICING_URL: "pricing", PRICER_RETRY_INITIAL_MS: "soon" });
    throw new Error("expected a ConfigError");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain("PRICER_MAX_DELIVER");
    expect(message).toContain("PRICING_URL");
    expect(message).toContain("PRICER_RETRY_INITIAL_MS");
  }
});

test("an ack wait shorter than the call deadline is allowed: in-progress acks keep a car while its call runs", () => {
  const config = loadConfig({ PRICER_ACK_WAIT_MS: "1000", PRICING_TIMEOUT_MS: "10000" });
  expect([config.consumer.ackWaitMs, config.pricingTimeoutMs]).toEqual([1_000, 10_000]);
});

test("PRICING_TRANSPORT chooses gRPC (default) or NATS request/reply; anything else is named", () => {
  expect(loadConfig({}).pricingTransport).toBe("grpc");
  expect(loadConfig({ PRICING_TRANSPORT: "nats" }).pricingTransport).toBe("nats");
  expect(() => loadConfig({ PRICING_TRANSPORT: "carrier-pigeon" })).toThrow('PRICING_TRANSPORT must be grpc or nats, got "carrier-pigeon"');
});
