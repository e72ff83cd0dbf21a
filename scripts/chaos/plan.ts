/**
 * The fault plan: which process dies when, and for how long, drawn from the seed before the run starts, so a
 * run can be repeated (`--seed`). App instances are SIGKILLed at random moments; NATS is restarted gracefully
 * (SIGTERM) and killed (SIGKILL). No two faults hit one instance at once, no app fault falls inside a NATS
 * outage, and every fault is over well before the load stops, so the run ends with everything up.
 *
 * With --cluster the plan is issue 14's failover programme instead (`clusterProgramme`): fixed steps under steady
 * load, their servers chosen when they run (the leaders are known only then): kill -9 a server that leads neither
 * stream a POST writes to and start it again, the same for the VEHICLES leader and the vehicles bucket's leader,
 * then restart the three one by one.
 */
import type { Random } from "./random.ts";

export type FaultKind = "kill-app" | "restart-nats" | "kill-nats" | "kill-server" | "restart-server";

export interface Fault {
  /** When it starts, from the start of the load. */
  atMs: number;
  kind: FaultKind;
  /** The app instance, e.g. "api-2" (app faults only). */
  target: string;
  /** How long the process stays down before it is started again. */
  downMs: number;
}

export interface PlanOptions {
  durationMs: number;
  /** Instance names by app, e.g. { api: ["api-1", "api-2"], pricer: [...] }. */
  instances: Record<string, string[]>;
  /** Mean gap between app kills. */
  appFaultEveryMs: number;
  natsRestarts: number;
  natsKills: number;
  /** How long after a restart an instance is left alone (it must get ready first). */
  recoveryMs?: number;
}

/** No fault starts in the first or last this-many milliseconds of the load. */
const MARGIN_MS = 4_000;

export function planFaults(random: Random, options: PlanOptions): Fault[] {
  const { durationMs } = options;
  const recoveryMs = options.recoveryMs ?? 8_000;
  const lastStart = durationMs - MARGIN_MS * 2;
  const faults: Fault[] = [];

  // NATS faults spread evenly, each placed at random within its slot, graceful and SIGKILL alternating.
  const natsKinds: FaultKind[] = [];
  for (let i = 0; i < Math.max(options.natsRestarts, options.natsKills); i++) {
    if (i < options.natsRestarts) natsKinds.push("restart-nats");
    if (i < options.natsKills) natsKinds.push("kill-nats");
  }
  const slot = (lastStart - MARGIN_MS) / Math.max(1, natsKinds.length);
  natsKinds.forEach((kind, i) => {
    const atMs = Math.round(MARGIN_MS + slot * i + random.next() * slot * 0.6);
    faults.push({ atMs, kind, target: "nats", downMs: random.int(1_000, 3_000) });
  });
  const natsBusy = faults.map((f) => [f.atMs - 1_000, f.atMs + f.downMs + recoveryMs] as const);

  const busyUntil = new Map<string, number>();
  const apps = Object.keys(options.instances).filter((app) => options.instances[app]!.length > 0);
  for (let at = MARGIN_MS + random.int(0, options.appFaultEveryMs); at < lastStart; at += random.int(options.appFaultEveryMs / 2, (options.appFaultEveryMs * 3) / 2)) {
    if (natsBusy.some(([from, to]) => at >= from && at <= to)) continue;
    const target = random.pick(options.instances[random.pick(apps)]!);
    if ((busyUntil.get(target) ?? 0) > at) continue;
    const downMs = random.int(300, 3_000);
    busyUntil.set(target, at + downMs + recoveryMs);
    faults.push({ atMs: Math.round(at), kind: "kill-app", target, downMs });
  }
  return faults.sort((a, b) => a.atMs - b.atMs);
}

/** Which cluster server a step kills: one leading neither stream a POST writes to, or the leader of one of them. */
export type ServerPick = "follower" | "VEHICLES" | "KV_vehicles";

export type ClusterStep =
  /** Load only, for `ms`. */
  | { kind: "load"; phase: string; ms: number }
  /** SIGKILL the picked server, keep it down `downMs` (phase "<label> down"), start it, then `backMs` of load ("<label> back"). */
  | { kind: "kill-server"; label: string; pick: ServerPick; downMs: number; backMs: number }
  /** SIGTERM each server in turn, start it, wait until healthy and caught up (phase "rolling restart"). */
  | { kind: "rolling-restart" };

export interface ClusterTimings {
  /** Load before the first fault and after the last. */
  steadyMs: number;
  /** How long a killed server stays down (issue 14: 10 s). */
  downMs: number;
  /** Load after a restart before the next fault. */
  backMs: number;
}

export const CLUSTER_FULL: ClusterTimings = { steadyMs: 10_000, downMs: 10_000, backMs: 10_000 };
export const CLUSTER_QUICK: ClusterTimings = { steadyMs: 3_000, downMs: 3_000, backMs: 3_000 };

export function clusterProgramme(t: ClusterTimings): ClusterStep[] {
  const kill = (label: string, pick: ServerPick): ClusterStep => ({ kind: "kill-server", label, pick, downMs: t.downMs, backMs: t.backMs });
  return [
    { kind: "load", phase: "steady", ms: t.steadyMs },
    kill("follower", "follower"),
    kill("VEHICLES leader", "VEHICLES"),
    kill("bucket leader", "KV_vehicles"),
    { kind: "rolling-restart" },
    { kind: "load", phase: "after", ms: t.steadyMs },
  ];
}

/** The phases a programme's load is counted under, in order. */
export function programmePhases(steps: ClusterStep[]): string[] {
  return steps.flatMap((s) => (s.kind === "load" ? [s.phase] : s.kind === "kill-server" ? [`${s.label} down`, `${s.label} back`] : ["rolling restart"]));
}
