import { expect, test } from "bun:test";
import { ConfigError } from "@forecourt/shared/platform";
import { planDev } from "./apps.ts";

test("each worker gets its own metrics port, taken from the dev variables", () => {
  const plan = planDev({ PRICER_METRICS_PORT: "4103", AUDIT_LOG_METRICS_PORT: "4104" });
  expect(plan.apps.find((a) => a.name === "pricer")!.env).toEqual({ METRICS_PORT: "4103" });
  expect(plan.apps.find((a) => a.name === "audit-log")!.env).toEqual({ METRICS_PORT: "4104" });
  expect(plan.ports.map((p) => p.variable)).toContain("PRICER_METRICS_PORT");
  expect(plan.observe).toBeUndefined();
  expect(plan.ports.map((p) => p.variable)).not.toContain("PROMETHEUS_PORT");
});

test("--observe plans Prometheus with a target for every app, NATS and itself, and lists its URL", () => {
  const plan = planDev({ API_PORT: "4000", PROMETHEUS_PORT: "4090", NATS_METRICS_PORT: "4077", PROMETHEUS_DATA_DIR: "/tmp/p" }, ["--observe"]);
  expect(plan.observe).toMatchObject({ prometheusPort: 4090, natsMetricsPort: 4077, dataDir: "/tmp/p" });
  expect(plan.observe!.targets).toEqual([
    { job: "api", address: "127.0.0.1:4000" },
    { job: "web", address: "127.0.0.1:3001" },
    { job: "pricing", address: "127.0.0.1:3002" },
    { job: "pricer", address: "127.0.0.1:3003" },
    { job: "audit-log", address: "127.0.0.1:3004" },
    { job: "nats", address: "127.0.0.1:4077" },
    { job: "prometheus", address: "127.0.0.1:4090" },
  ]);
  expect(plan.urls.at(-1)).toEqual({ label: "Prometheus", url: "http://127.0.0.1:4090" });
  expect(plan.ports.map((p) => p.variable)).toEqual(expect.arrayContaining(["PROMETHEUS_PORT", "NATS_METRICS_PORT"]));
});

test("an argument other than --observe is refused with the one it takes", () => {
  expect(() => planDev({}, ["--obsrve"])).toThrow(ConfigError);
  expect(() => planDev({}, ["--obsrve"])).toThrow("unknown argument --obsrve (bun run dev takes only --observe)");
});
