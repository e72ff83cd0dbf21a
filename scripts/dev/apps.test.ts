import { expect, test } from "bun:test";
import { ConfigError } from "@forecourt/shared/platform";
import { planDev } from "./apps.ts";
import { parseDevArgs, UsageError, type DevOptions } from "./workshop-args.ts";

const options = (overrides: Partial<DevOptions> = {}): DevOptions => ({ portOffset: 0, without: [], shape: false, ...overrides });

test("without flags the plan is the default stack on the default ports and data dir", () => {
  const plan = planDev({});
  expect(plan.natsUrl).toBe("nats://127.0.0.1:4222");
  expect(plan.monitorPort).toBe(8222);
  expect(plan.ports.map((p) => p.port)).toEqual([3000, 3001, 50051, 3002, 3003, 3004]);
  expect(plan.storeDir).toBeUndefined();
  expect(plan.appEnv.AUDIT_LOG_PATH).toBeUndefined();
  expect(plan.appEnv.API_SNAPSHOT_PATH).toBe(".data/api/vehicle-index.snapshot");
  expect(plan.apps.map((a) => a.name)).toEqual(["pricing", "api", "pricer", "audit-log", "web"]);
});

test("--port-offset adds N to every port, NATS client and monitoring included, and gives the stack its own data dir", () => {
  const plan = planDev({}, options({ portOffset: 10, shape: false }));
  expect(plan.natsUrl).toBe("nats://127.0.0.1:4232");
  expect(plan.natsPort).toBe(4232);
  expect(plan.monitorPort).toBe(8232);
  expect(plan.ports.map((p) => p.port)).toEqual([3010, 3011, 50061, 3012, 3013, 3014]);
  expect(plan.appEnv).toMatchObject({ NATS_URL: "nats://127.0.0.1:4232", API_PORT: "3010", WEB_PORT: "3011", PRICING_PORT: "50061", PRICING_HTTP_PORT: "3012", NATS_MONITOR_URL: "http://127.0.0.1:8232" });
  expect(plan.storeDir).toBe(".data/offset-10/nats");
  expect(plan.appEnv.AUDIT_LOG_PATH).toBe(".data/offset-10/audit-log.jsonl");
  expect(plan.appEnv.API_SNAPSHOT_PATH).toBe(".data/offset-10/api/vehicle-index.snapshot");
  expect(plan.urls.find((u) => u.label === "Live page")?.url).toBe("http://127.0.0.1:3011/");
});

test("the offset applies to ports set in the environment too, and the link shaper's with --shape", () => {
  const join = { participant: "bob", hubAddress: "hub:7422", user: "bob", password: "x" };
  const plan = planDev({ API_PORT: "4000", NATS_URL: "nats://127.0.0.1:5000" }, options({ portOffset: 20, shape: true, join, participant: "bob" }));
  expect(plan.ports.find((p) => p.variable === "API_PORT")?.port).toBe(4020);
  expect(plan.natsUrl).toBe("nats://127.0.0.1:5020");
  expect(plan.link).toEqual({ port: 7443, controlPort: 7521 });
  expect(plan.ports.map((p) => p.variable)).toContain("LINK_CONTROL_PORT");
  // The live page's link panel is told where the shaper's control API is; without --shape, nothing.
  expect(plan.appEnv.LINK_CONTROL_URL).toBe("http://127.0.0.1:7521");
  expect(planDev({}, options()).appEnv).not.toHaveProperty("LINK_CONTROL_URL");
});

test("a joined participant's data dir is named after it, and its apps publish as it", () => {
  const join = { participant: "alice", hubAddress: "hub:7422", user: "alice", password: "x" };
  const plan = planDev({}, options({ join, participant: "alice" }));
  expect(plan.storeDir).toBe(".data/participant-alice/nats");
  expect(plan.appEnv.FORECOURT_PARTICIPANT).toBe("alice");
  expect(plan.appEnv.AUDIT_LOG_PATH).toBe(".data/participant-alice/audit-log.jsonl");
});

test("--without pricing starts no calculator and points the pricer at NATS request/reply", () => {
  const plan = planDev({}, options({ without: ["pricing"] }));
  expect(plan.apps.map((a) => a.name)).toEqual(["api", "pricer", "audit-log", "web"]);
  expect(plan.ports.map((p) => p.variable)).toEqual(["API_PORT", "WEB_PORT", "PRICER_METRICS_PORT", "AUDIT_LOG_METRICS_PORT"]);
  expect(plan.appEnv.PRICING_TRANSPORT).toBe("nats");
});

test("an offset pushing a port past 65535 is refused, naming it", () => {
  expect(() => planDev({ API_PORT: "65530" }, options({ portOffset: 10 }))).toThrow("API_PORT plus --port-offset 10 is 65540, beyond 65535");
});

test("--only starts the named apps alone, checks only their ports and lists only their URLs and NATS", () => {
  const plan = planDev({}, options({ only: ["api"] }));
  expect(plan.apps.map((a) => a.name)).toEqual(["api"]);
  expect(plan.ports.map((p) => p.variable)).toEqual(["API_PORT"]);
  expect(plan.urls.map((u) => u.label)).toEqual(["API", "API docs", "NATS", "NATS monitoring"]);
  expect(planDev({}, options({ only: ["web", "pricing"] })).apps.map((a) => a.name)).toEqual(["pricing", "web"]);
});

test("an unknown app name is refused, naming the ones there are", () => {
  expect(() => planDev({}, options({ only: ["api", "pricr"] }))).toThrow(ConfigError);
  expect(() => planDev({}, options({ only: ["pricr"] }))).toThrow("--only takes app names from pricing, api, pricer, audit-log, web; got pricr");
});

test("--only with --observe scrapes only the apps that run, NATS and Prometheus itself", () => {
  const plan = planDev({}, options({ only: ["api"], observe: true }));
  expect(plan.observe!.targets.map((t) => t.job)).toEqual(["api", "nats", "prometheus"]);
  expect(plan.ports.map((p) => p.variable)).toEqual(["API_PORT", "PROMETHEUS_PORT", "NATS_METRICS_PORT"]);
});

test("each worker gets its own metrics port, taken from the dev variables", () => {
  const plan = planDev({ PRICER_METRICS_PORT: "4103", AUDIT_LOG_METRICS_PORT: "4104" });
  expect(plan.apps.find((a) => a.name === "pricer")!.env).toEqual({ METRICS_PORT: "4103" });
  expect(plan.apps.find((a) => a.name === "audit-log")!.env).toEqual({ METRICS_PORT: "4104" });
  expect(plan.ports.map((p) => p.variable)).toContain("PRICER_METRICS_PORT");
  expect(plan.observe).toBeUndefined();
  expect(plan.ports.map((p) => p.variable)).not.toContain("PROMETHEUS_PORT");
});

test("--observe plans Prometheus with a target for every app, NATS and itself, and lists its URL", () => {
  const plan = planDev({ API_PORT: "4000", PROMETHEUS_PORT: "4090", NATS_METRICS_PORT: "4077", PROMETHEUS_DATA_DIR: "/tmp/p" }, parseDevArgs(["--observe"], {}, () => ""));
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

test("--observe on a port offset shifts Prometheus's ports, scrapes no calculator the stack lacks, and keeps its data in the stack's dir", () => {
  const plan = planDev({}, options({ portOffset: 10, without: ["pricing"], observe: true }));
  expect(plan.observe).toMatchObject({ prometheusPort: 9100, natsMetricsPort: 7787, dataDir: ".data/offset-10/prometheus" });
  expect(plan.observe!.targets.map((t) => t.job)).toEqual(["api", "web", "pricer", "audit-log", "nats", "prometheus"]);
  expect(plan.apps.find((a) => a.name === "pricer")!.env).toEqual({ METRICS_PORT: "3013" });
});

test("a misspelt --observe is refused with the usage", () => {
  expect(() => parseDevArgs(["--obsrve"], {}, () => "")).toThrow(UsageError);
  expect(() => parseDevArgs(["--obsrve"], {}, () => "")).toThrow("unknown flag --obsrve");
});
