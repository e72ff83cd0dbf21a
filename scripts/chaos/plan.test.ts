import { expect, test } from "bun:test";
import { CLUSTER_FULL, CLUSTER_QUICK, clusterProgramme, planFaults, programmePhases, type PlanOptions } from "./plan.ts";
import { seededRandom } from "./random.ts";

const options: PlanOptions = {
  durationMs: 120_000,
  instances: { api: ["api-1", "api-2"], pricer: ["pricer-1", "pricer-2"], pricing: ["pricing-1"], "audit-log": ["audit-log-1"], web: ["web-1"] },
  appFaultEveryMs: 4_000,
  natsRestarts: 2,
  natsKills: 2,
};

test("one seed always gives the same plan, another seed a different one", () => {
  expect(planFaults(seededRandom(42), options)).toEqual(planFaults(seededRandom(42), options));
  expect(planFaults(seededRandom(43), options)).not.toEqual(planFaults(seededRandom(42), options));
});

test("the plan has the NATS restarts and kills asked for, and app kills of known instances, all inside the load with time to recover", () => {
  for (let seed = 1; seed <= 50; seed++) {
    const plan = planFaults(seededRandom(seed), options);
    expect(plan.filter((f) => f.kind === "restart-nats")).toHaveLength(2);
    expect(plan.filter((f) => f.kind === "kill-nats")).toHaveLength(2);
    const kills = plan.filter((f) => f.kind === "kill-app");
    expect(kills.length).toBeGreaterThan(5);
    const known = Object.values(options.instances).flat();
    for (const f of plan) {
      expect(f.atMs).toBeGreaterThanOrEqual(4_000);
      expect(f.atMs + f.downMs).toBeLessThan(options.durationMs - 4_000);
      if (f.kind === "kill-app") expect(known).toContain(f.target);
    }
    expect(plan.map((f) => f.atMs)).toEqual([...plan.map((f) => f.atMs)].sort((a, b) => a - b));
  }
});

test("no instance is hit again before it has recovered, and no app is killed during a NATS outage", () => {
  for (let seed = 1; seed <= 50; seed++) {
    const plan = planFaults(seededRandom(seed), options);
    const nats = plan.filter((f) => f.kind !== "kill-app");
    const last = new Map<string, number>();
    for (const f of plan.filter((f) => f.kind === "kill-app")) {
      expect(f.atMs).toBeGreaterThanOrEqual(last.get(f.target) ?? 0);
      last.set(f.target, f.atMs + f.downMs + 8_000);
      for (const n of nats) expect(f.atMs >= n.atMs - 1_000 && f.atMs <= n.atMs + n.downMs + 8_000).toBe(false);
    }
  }
});

test("a seeded source repeats and stays in range", () => {
  const a = seededRandom(7);
  const b = seededRandom(7);
  for (let i = 0; i < 1_000; i++) {
    const x = a.int(3, 9);
    expect(b.int(3, 9)).toBe(x);
    expect(x).toBeGreaterThanOrEqual(3);
    expect(x).toBeLessThanOrEqual(9);
  }
});

test("the cluster programme is issue 14's: steady load, a follower, the VEHICLES leader and the bucket's leader killed and restarted, a rolling restart", () => {
  const steps = clusterProgramme(CLUSTER_FULL);
  expect(steps.map((s) => (s.kind === "kill-server" ? `${s.kind} ${s.pick} ${s.downMs}` : s.kind))).toEqual([
    "load",
    "kill-server follower 10000",
    "kill-server VEHICLES 10000",
    "kill-server KV_vehicles 10000",
    "rolling-restart",
    "load",
  ]);
  expect(programmePhases(steps)).toEqual([
    "steady",
    "follower down",
    "follower back",
    "VEHICLES leader down",
    "VEHICLES leader back",
    "bucket leader down",
    "bucket leader back",
    "rolling restart",
    "after",
  ]);
  expect(clusterProgramme(CLUSTER_QUICK).every((s) => s.kind !== "kill-server" || s.downMs === 3_000)).toBe(true);
});
