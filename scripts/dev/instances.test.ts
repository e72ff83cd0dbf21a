import { expect, test } from "bun:test";
import { planDev } from "./apps.ts";
import { expandInstances } from "./instances.ts";

const plan = planDev({});

test("one instance leaves the plan as it is", () => {
  expect(expandInstances(plan, 1, {})).toBe(plan);
});

test("two instances: api, pricing, pricer and web twice on ports 10 apart, the audit log once", () => {
  const two = expandInstances(plan, 2, {});
  expect(two.apps.map((a) => a.name)).toEqual(["pricing-1", "pricing-2", "api-1", "api-2", "pricer-1", "pricer-2", "audit-log", "web-1", "web-2"]);
  const env = (name: string) => two.apps.find((a) => a.name === name)!.env;
  expect(env("api-2")).toEqual({ API_PORT: "3010" });
  expect(env("pricing-2")).toEqual({ PRICING_HTTP_PORT: "3012", PRICING_PORT: "50061" });
  // Each web instance links to the API of its own number.
  expect(env("web-2")).toEqual({ WEB_PORT: "3011", API_PORT: "3010" });
  expect(env("pricer-1")!.PRICING_URL).toBe("http://127.0.0.1:50051,http://127.0.0.1:50061");
  // Each pricer serves its metrics on a port of its own; every instance connects as its app's NATS user.
  expect([env("pricer-1")!.METRICS_PORT, env("pricer-2")!.METRICS_PORT]).toEqual(["3003", "3013"]);
  expect(two.apps.find((a) => a.name === "api-2")!.user).toBe("api");
  expect(two.apps.find((a) => a.name === "web-2")!.readyUrl).toBe("http://127.0.0.1:3011/health/ready");
  expect(two.apps.find((a) => a.name === "audit-log")!.env).toEqual({ METRICS_PORT: "3004" });
});

test("every instance's port is checked and every instance's URL is in the summary", () => {
  const two = expandInstances(plan, 2, {});
  expect(two.ports.map((p) => p.port)).toEqual([3000, 3010, 3001, 3011, 50051, 50061, 3002, 3012, 3003, 3013, 3004]);
  expect(two.urls.find((u) => u.label === "API")!.url).toBe("http://127.0.0.1:3000/api  http://127.0.0.1:3010/api");
  expect(two.urls.find((u) => u.label === "Price calculator (gRPC, h2c)")!.url).toBe("http://127.0.0.1:50051  http://127.0.0.1:50061");
  expect(two.urls.find((u) => u.label === "NATS")!.url).toBe("nats://127.0.0.1:4222");
});

test("a PRICING_URL set by hand is kept for every pricer", () => {
  const two = expandInstances(plan, 2, { PRICING_URL: "http://pricing.example:50051" });
  expect(two.apps.find((a) => a.name === "pricer-2")!.env!.PRICING_URL).toBeUndefined();
});

test("with --observe Prometheus scrapes every instance under its app's job", () => {
  const two = expandInstances(planDev({}, { portOffset: 0, without: [], shape: false, observe: true }), 2, {});
  const targets = two.observe!.targets;
  expect(targets.filter((t) => t.job === "api").map((t) => t.address)).toEqual(["127.0.0.1:3000", "127.0.0.1:3010"]);
  expect(targets.filter((t) => t.job === "pricer").map((t) => t.address)).toEqual(["127.0.0.1:3003", "127.0.0.1:3013"]);
  expect(targets.filter((t) => t.job === "audit-log").map((t) => t.address)).toEqual(["127.0.0.1:3004"]);
});
