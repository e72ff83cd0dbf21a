import { expect, test } from "bun:test";
import { ConfigError } from "@forecourt/shared/platform";
import { planDev } from "./apps.ts";

test("every app is started by default, pricing first", () => {
  expect(planDev({}).apps.map((a) => a.name)).toEqual(["pricing", "api", "pricer", "audit-log", "web"]);
});

test("--only starts the named apps alone, checks only their ports and lists only their URLs and NATS", () => {
  const plan = planDev({}, ["api"]);
  expect(plan.apps.map((a) => a.name)).toEqual(["api"]);
  expect(plan.ports.map((p) => p.variable)).toEqual(["API_PORT"]);
  expect(plan.urls.map((u) => u.label)).toEqual(["API", "API docs", "NATS", "NATS monitoring"]);
  expect(planDev({}, ["web", "pricing"]).apps.map((a) => a.name)).toEqual(["pricing", "web"]);
});

test("an unknown app name is refused, naming the ones there are", () => {
  expect(() => planDev({}, ["api", "pricr"])).toThrow(ConfigError);
  expect(() => planDev({}, ["pricr"])).toThrow("--only takes app names from pricing, api, pricer, audit-log, web; got pricr");
});
