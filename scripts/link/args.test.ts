import { expect, test } from "bun:test";
import { SettingsError } from "@forecourt/link-shaper";
import { DEFAULT_CONTROL, parseLinkArgs, UsageError } from "./args.ts";

const control = { host: "127.0.0.1", port: 7501 };

test("proxy takes where to listen and forward, a control address, and settings to start with", () => {
  expect(parseLinkArgs(["proxy", "--listen", "7423", "--to", "hub.example:7422"])).toEqual({
    kind: "proxy",
    listen: { host: "127.0.0.1", port: 7423 },
    to: { host: "hub.example", port: 7422 },
    control,
    settings: {},
  });
  const shaped = parseLinkArgs(["proxy", "--listen=0.0.0.0:7423", "--to", "7422", "--control", "off", "--latency", "50ms", "--direction", "down"]);
  expect(shaped).toMatchObject({ control: null, settings: { down: { latencyMs: 50 } } });
});

test("set parses each value and applies to both directions unless told", () => {
  expect(parseLinkArgs(["set", "--latency", "150ms", "--jitter", "30ms", "--bandwidth", "256kbit"])).toEqual({
    kind: "set",
    control,
    direction: "both",
    values: { latencyMs: 150, jitterMs: 30, bandwidthBps: 256_000 },
  });
  expect(parseLinkArgs(["set", "--bandwidth", "off", "--direction", "up"])).toMatchObject({ direction: "up", values: { bandwidthBps: 0 } });
});

test("the control address comes from --control, else LINK_CONTROL, else the default", () => {
  expect(DEFAULT_CONTROL).toBe("127.0.0.1:7501");
  expect(parseLinkArgs(["cut"])).toEqual({ kind: "outage", control, outage: "cut" });
  expect(parseLinkArgs(["hold"], { LINK_CONTROL: "7601" })).toEqual({ kind: "outage", control: { host: "127.0.0.1", port: 7601 }, outage: "hold" });
  expect(parseLinkArgs(["restore", "--control", "10.1.2.3:7701"], { LINK_CONTROL: "7601" })).toEqual({ kind: "outage", control: { host: "10.1.2.3", port: 7701 }, outage: "none" });
  expect(parseLinkArgs(["status", "--json"])).toEqual({ kind: "status", control, json: true });
  expect(() => parseLinkArgs(["status"], { LINK_CONTROL: "somewhere" })).toThrow('LINK_CONTROL "somewhere" is not host:port');
});

test("a bad value is a settings error naming it and its form", () => {
  expect(() => parseLinkArgs(["set", "--latency", "fast"])).toThrow(SettingsError);
  expect(() => parseLinkArgs(["set", "--latency", "fast"])).toThrow('--latency "fast" is not a duration');
  expect(() => parseLinkArgs(["set", "--bandwidth", "12parsecs"])).toThrow('--bandwidth "12parsecs" is not a rate such as 64kbit');
  expect(() => parseLinkArgs(["set", "--latency", "1ms", "--direction", "sideways"])).toThrow('--direction "sideways" is not up, down or both');
  expect(() => parseLinkArgs(["proxy", "--listen", "hub", "--to", "7422"])).toThrow('--listen "hub" is not host:port');
});

test("a wrong command or flag is a usage error", () => {
  const usage = (argv: string[]) => () => parseLinkArgs(argv);
  expect(usage([])).toThrow(UsageError);
  expect(usage(["frobnicate"])).toThrow('unknown command "frobnicate"');
  expect(usage(["proxy", "--listen", "7423"])).toThrow("proxy needs --listen <addr> and --to <addr>");
  expect(usage(["set"])).toThrow("set needs at least one of");
  expect(usage(["set", "--direction", "up"])).toThrow("set needs at least one of");
  expect(usage(["set", "--latency"])).toThrow("--latency needs a value");
  expect(usage(["set", "--latency", "--jitter", "1ms"])).toThrow("--latency needs a value");
  expect(usage(["set", "--latency", "1ms", "--latency", "2ms"])).toThrow("--latency given twice");
  expect(usage(["cut", "--latency", "1ms"])).toThrow("cut does not take --latency");
  expect(usage(["status", "--json=yes"])).toThrow("--json takes no value");
  expect(usage(["hold", "now"])).toThrow('unexpected argument "now" for hold');
  expect(parseLinkArgs(["help"])).toEqual({ kind: "help" });
});
