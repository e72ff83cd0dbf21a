import { expect, test } from "bun:test";
import { ConfigError } from "@forecourt/shared/platform";
import { parseDevArgs, parseHubUrl, UsageError } from "./workshop-args.ts";

const noFile = (path: string): string => {
  throw new Error(`ENOENT: no such file, open '${path}'`);
};
const parse = (argv: string[], env: Record<string, string> = {}, readFile = noFile) => parseDevArgs(argv, env, readFile);
const problems = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
};

test("no flags: a plain local stack, exactly as before", () => {
  expect(parse([])).toEqual({ portOffset: 0, without: [], shape: false });
});

test("--join with the URL hub add printed joins as that participant", () => {
  expect(parse(["--join", "nats-leaf://alice:pw123@10.0.0.5:7422", "--as", "alice"]).join).toEqual({ participant: "alice", hubAddress: "10.0.0.5:7422", user: "alice", password: "pw123" });
});

test("FORECOURT_HUB, FORECOURT_PARTICIPANT and a credentials file do the same", () => {
  const options = parse([], { FORECOURT_HUB: "hub.example", FORECOURT_PARTICIPANT: "bob", FORECOURT_HUB_CREDENTIALS: "/creds" }, (path) => (path === "/creds" ? "filepw\n" : noFile(path)));
  expect(options.join).toEqual({ participant: "bob", hubAddress: "hub.example:7422", user: "bob", password: "filepw" });
  expect(options.participant).toBe("bob");
});

test("hub URLs: scheme and port are optional; anything but a leaf address is refused", () => {
  expect(parseHubUrl("10.0.0.5")).toEqual({ address: "10.0.0.5:7422" });
  expect(parseHubUrl("nats-leaf://a%40b:p%3Aw@h:9000")).toEqual({ address: "h:9000", user: "a@b", password: "p:w" });
  expect(() => parseHubUrl("http://hub:7422")).toThrow(ConfigError);
  expect(() => parseHubUrl("nats-leaf://hub:7422/path")).toThrow(ConfigError);
});

test("joining without a name, without a password, or as someone else is one line each", () => {
  expect(problems(() => parse(["--join", "hub:7422"]))).toEqual(["joining a hub needs a participant name: --as <name> (or FORECOURT_PARTICIPANT)"]);
  expect(problems(() => parse(["--join", "hub:7422", "--as", "alice"]))[0]).toContain("needs alice's password");
  expect(problems(() => parse(["--join", "nats-leaf://bob:x@hub", "--as", "alice"]))[0]).toContain('logs in as "bob" but --as says "alice"');
  expect(problems(() => parse(["--join", "hub", "--as", "alice", "--credentials", "/nope"]))[0]).toContain('cannot read the hub credentials file "/nope"');
  expect(problems(() => parse(["--join", "nats-leaf://x:y@hub", "--as", "Alice Smith"]))[0]).toContain("--as: participant name must be 1-20 lowercase letters");
});

test("--port-offset takes a whole number; --without only pricing; --shape only with --join", () => {
  expect(parse(["--port-offset", "10", "--without", "pricing"])).toMatchObject({ portOffset: 10, without: ["pricing"] });
  expect(parse(["--port-offset=20"]).portOffset).toBe(20);
  expect(problems(() => parse(["--port-offset", "-1"]))).toEqual(['--port-offset must be a whole number 0-60000, got "-1"']);
  expect(problems(() => parse(["--port-offset", "ten"]))).toEqual(['--port-offset must be a whole number 0-60000, got "ten"']);
  expect(problems(() => parse(["--without", "api"]))).toEqual(['--without takes pricing (the apps a stack can run without), got "api"']);
  expect(problems(() => parse(["--shape"]))).toEqual(["--shape shapes the link to a hub: use it with --join"]);
  expect(parse(["--join", "nats-leaf://a:b@h", "--as", "a", "--shape"]).shape).toBe(true);
});

test("unknown flags, stray words and missing values are usage errors", () => {
  expect(() => parse(["--jion", "x"])).toThrow(UsageError);
  expect(() => parse(["alice"])).toThrow(UsageError);
  expect(() => parse(["--as"])).toThrow(UsageError);
  expect(() => parse(["--as", "--shape"])).toThrow(UsageError);
  expect(() => parse(["--as", "a", "--as", "b"])).toThrow("--as given twice");
});

test("--only names the apps to start, comma-separated or repeated, alongside the workshop flags", () => {
  expect(parse(["--only", "api,pricing"]).only).toEqual(["api", "pricing"]);
  expect(parse(["--only=web", "--only", "api", "--port-offset", "10"])).toEqual({ portOffset: 10, without: [], shape: false, only: ["web", "api"] });
  expect(() => parse(["--only"])).toThrow(UsageError);
});

test("--cluster runs two instances of each app unless told otherwise", () => {
  expect(parse(["--cluster"])).toEqual({ portOffset: 0, without: [], shape: false, cluster: true, instances: 2 });
  expect(parse(["--cluster", "--instances", "4"]).instances).toBe(4);
  expect(parse(["--cluster", "--instances=1"]).instances).toBeUndefined();
  expect(parse(["--instances=3"])).toEqual({ portOffset: 0, without: [], shape: false, instances: 3 });
});

test("a bad instance count is one line naming it; --cluster takes no value and joins no hub", () => {
  expect(problems(() => parse(["--instances", "0"]))).toEqual(['--instances must be a whole number 1-8, got "0"']);
  expect(problems(() => parse(["--instances", "two"]))).toEqual(['--instances must be a whole number 1-8, got "two"']);
  expect(() => parse(["--instances"])).toThrow(UsageError);
  expect(() => parse(["--cluster=yes"])).toThrow("--cluster takes no value");
  expect(problems(() => parse(["--cluster", "--join", "hub.example", "--as", "alice"]))).toEqual([
    "--cluster cannot join a hub: a workshop participant runs one nats-server (leave out --cluster or --join)",
  ]);
});
