import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { formatAddress, parseAddress } from "./address.ts";
import {
  applyChange,
  changeFor,
  checkChange,
  formatBandwidth,
  formatDuration,
  parseBandwidth,
  parseDirection,
  parseDuration,
  parseSettingsBody,
  SettingsError,
  UNSHAPED,
} from "./settings.ts";

/** The one-line error a bad value raises. */
function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as Error).message;
  }
  throw new Error("expected a SettingsError");
}

describe("durations", () => {
  test("milliseconds and seconds become milliseconds", () => {
    expect(parseDuration("150ms")).toBe(150);
    expect(parseDuration("1s")).toBe(1000);
    expect(parseDuration("1.5s")).toBe(1500);
    expect(parseDuration("0.5ms")).toBe(0.5);
    expect(parseDuration("30MS")).toBe(30);
    expect(parseDuration("0")).toBe(0);
  });

  test("a bad duration names the value, the setting and the accepted form on one line", () => {
    for (const bad of ["fast", "150", "-5ms", "1m", "ms", "1.5.ms", ""]) {
      const message = errorOf(() => parseDuration(bad, "--latency"));
      expect(message).toContain(`--latency "${bad}"`);
      expect(message).toContain("150ms");
      expect(message).not.toContain("\n");
    }
  });

  test("a duration over 60 s is refused", () => {
    expect(errorOf(() => parseDuration("61s", "latency"))).toContain('latency "61s" is too long');
    expect(parseDuration("60s")).toBe(60_000);
  });

  test("formatted durations parse back to the same value", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 60_000 }), (ms) => parseDuration(formatDuration(ms)) === ms));
  });
});

describe("bandwidth", () => {
  test("decimal units as in tc, a bare number in bit/s, and 0/off for unlimited", () => {
    expect(parseBandwidth("256kbit")).toBe(256_000);
    expect(parseBandwidth("64kbit")).toBe(64_000);
    expect(parseBandwidth("1mbit")).toBe(1_000_000);
    expect(parseBandwidth("1.5mbit")).toBe(1_500_000);
    expect(parseBandwidth("1gbit/s")).toBe(1_000_000_000);
    expect(parseBandwidth("1000000")).toBe(1_000_000);
    expect(parseBandwidth("256KBIT")).toBe(256_000);
    expect(parseBandwidth("0")).toBe(0);
    expect(parseBandwidth("off")).toBe(0);
  });

  test("a bad rate names the value and the accepted form on one line", () => {
    for (const bad of ["fast", "256kb", "256kbps", "1 mbit", "-1mbit", "mbit", "12parsecs"]) {
      const message = errorOf(() => parseBandwidth(bad, "--bandwidth"));
      expect(message).toContain(`--bandwidth "${bad}"`);
      expect(message).toContain("256kbit");
      expect(message).not.toContain("\n");
    }
  });

  test("rates below 1 kbit/s or above 100 gbit/s are refused", () => {
    expect(errorOf(() => parseBandwidth("999bit"))).toContain("out of range");
    expect(errorOf(() => parseBandwidth("101gbit"))).toContain("out of range");
  });

  test("formatted rates read well and parse back to the same value", () => {
    expect(formatBandwidth(256_000)).toBe("256kbit");
    expect(formatBandwidth(1_500_000)).toBe("1.5mbit");
    expect(formatBandwidth(0)).toBe("off");
    fc.assert(fc.property(fc.integer({ min: 1_000, max: 100_000_000_000 }), (bps) => parseBandwidth(formatBandwidth(bps)) === bps));
  });
});

describe("directions, changes and addresses", () => {
  test("a direction is up, down or both", () => {
    expect(parseDirection("up")).toBe("up");
    expect(parseDirection("both")).toBe("both");
    expect(errorOf(() => parseDirection("sideways", "--direction"))).toBe('--direction "sideways" is not up, down or both');
  });

  test("a change for both directions sets both and leaves the rest as it was", () => {
    const start = applyChange(UNSHAPED, { up: { bandwidthBps: 64_000 } });
    const next = applyChange(start, changeFor("both", { latencyMs: 150, jitterMs: 30 }));
    expect(next.up).toEqual({ latencyMs: 150, jitterMs: 30, bandwidthBps: 64_000 });
    expect(next.down).toEqual({ latencyMs: 150, jitterMs: 30, bandwidthBps: 0 });
    expect(applyChange(next, { outage: "hold" }).outage).toBe("hold");
    expect(applyChange(next, { up: { latencyMs: undefined } }).up.latencyMs).toBe(150);
  });

  test("numbers from code are checked with the parsers' bounds", () => {
    expect(() => checkChange({ up: { latencyMs: 100, bandwidthBps: 256_000 } })).not.toThrow();
    expect(errorOf(() => checkChange({ up: { latencyMs: -1 } }))).toContain("up latencyMs -1");
    expect(errorOf(() => checkChange({ down: { jitterMs: Number.NaN } }))).toContain("down jitterMs NaN");
    expect(errorOf(() => checkChange({ down: { bandwidthBps: 12.5 } }))).toContain("down bandwidthBps 12.5");
    expect(errorOf(() => checkChange({ outage: "broken" as never }))).toContain('outage "broken"');
  });

  test("the settings body takes typed forms or numbers, for both directions unless told", () => {
    expect(parseSettingsBody({ latency: "150ms", jitter: 30, bandwidth: "256kbit" })).toEqual({
      up: { latencyMs: 150, jitterMs: 30, bandwidthBps: 256_000 },
      down: { latencyMs: 150, jitterMs: 30, bandwidthBps: 256_000 },
    });
    expect(parseSettingsBody({ direction: "down", bandwidth: 64_000 })).toEqual({ down: { bandwidthBps: 64_000 } });
    expect(parseSettingsBody({ direction: "up", bandwidth: "off" })).toEqual({ up: { bandwidthBps: 0 } });
  });

  test("a bad settings body says what is wrong", () => {
    expect(errorOf(() => parseSettingsBody([]))).toContain("JSON object");
    expect(errorOf(() => parseSettingsBody({}))).toContain("nothing to set");
    expect(errorOf(() => parseSettingsBody({ delay: "1s" }))).toContain('unknown field "delay"');
    expect(errorOf(() => parseSettingsBody({ latency: "soon" }))).toContain('latency "soon"');
    expect(errorOf(() => parseSettingsBody({ latency: true }))).toContain("latency true");
    expect(errorOf(() => parseSettingsBody({ bandwidth: -5 }))).toContain('bandwidth "-5"');
    expect(errorOf(() => parseSettingsBody({ direction: "left", latency: "1ms" }))).toContain('direction "left"');
  });

  test("addresses are host:port, [ipv6]:port or a port on 127.0.0.1", () => {
    expect(parseAddress("127.0.0.1:7423")).toEqual({ host: "127.0.0.1", port: 7423 });
    expect(parseAddress("7423")).toEqual({ host: "127.0.0.1", port: 7423 });
    expect(parseAddress(":7423")).toEqual({ host: "127.0.0.1", port: 7423 });
    expect(parseAddress("hub.example:7422")).toEqual({ host: "hub.example", port: 7422 });
    expect(parseAddress("[::1]:7422")).toEqual({ host: "::1", port: 7422 });
    expect(formatAddress({ host: "::1", port: 7422 })).toBe("[::1]:7422");
    for (const bad of ["hub", "hub:", "hub:99999", "a:b:1", "nats://hub:7422"]) {
      expect(errorOf(() => parseAddress(bad, "--to"))).toBe(`--to "${bad}" is not host:port or a port, e.g. 127.0.0.1:7423`);
    }
  });
});
