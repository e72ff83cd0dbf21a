/**
 * The cluster failover programme carried out (plan.ts `clusterProgramme`) on a running stack under load: each step
 * relabels the load's phase, so what clients got during it is counted apart (report.ts `phaseStats`). Servers are
 * picked when their step runs, from the leaders the cluster reports then: one leading neither stream a POST writes to
 * (KV_vehicles, then VEHICLES), or the leader of one of them. Before each kill the cluster is let settle (every
 * server healthy, the bucket and VEHICLES each with a leader and every replica current), so each fault starts from a
 * whole cluster.
 */
import { jetstreamManager, type StreamInfo } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { BUCKETS, STREAMS } from "@forecourt/shared/contracts";
import { placedReplicas } from "@forecourt/shared/platform";
import { waitFor, type ClusterNode, type TestNatsCluster } from "@forecourt/shared/testing";
import type { Load } from "./load.ts";
import type { ClusterStep, ServerPick } from "./plan.ts";
import type { FaultRecord } from "./report.ts";
import type { Stack } from "./stack.ts";

/** The streams a POST writes to: the bucket's, then VEHICLES. */
const WRITTEN_BY_A_POST = [`KV_${BUCKETS.vehicles}`, STREAMS.vehicles.name];

/**
 * Waits until every running member is healthy (JetStream up, current with its meta leader) and both streams a POST
 * writes to have a leader and all their replicas current again.
 */
export async function clusterSettled(cluster: TestNatsCluster, nc: NatsConnection, timeoutMs = 60_000): Promise<void> {
  try {
    await cluster.healthy(timeoutMs);
    const jsm = await waitFor(() => jetstreamManager(nc), { timeoutMs, what: "JetStream to answer" });
    for (const stream of WRITTEN_BY_A_POST) {
      let seen = "no stream info yet";
      await waitFor(
        async () => {
          const info = await jsm.streams.info(stream);
          seen = describeReplicas(info);
          return info.cluster?.leader && placedReplicas(info) === info.config.num_replicas && (info.cluster.replicas ?? []).every((r) => r.current);
        },
        { timeoutMs, intervalMs: 250, what: () => `${stream} to have a leader and every replica current (last seen: ${seen})` },
      );
    }
  } catch (error) {
    // What the servers said about it, so a failure in CI can be read from its message alone.
    throw new Error(`${(error as Error).message}\nthe servers' last warnings:\n${cluster.warnings()}`, { cause: error });
  }
}

/** "leader nats-1; nats-2 current, nats-3 lag 120 active 3.2 s" */
export function describeReplicas(info: StreamInfo): string {
  const replicas = (info.cluster?.replicas ?? []).map((r) => `${r.name} ${r.offline ? "offline" : r.current ? "current" : `lag ${r.lag ?? 0} active ${((r.active ?? 0) / 1e9).toFixed(1)} s`}`);
  return `leader ${info.cluster?.leader || "none"}; ${replicas.join(", ") || "no replicas"}`;
}

/** The servers leading the two streams a POST writes to: the bucket first (KV_vehicles), then VEHICLES. */
export type Leaders = Record<Exclude<ServerPick, "follower">, string>;

export async function streamLeaders(cluster: TestNatsCluster, nc: NatsConnection): Promise<Leaders> {
  return { VEHICLES: await cluster.leaderOf(nc, STREAMS.vehicles.name), KV_vehicles: await cluster.leaderOf(nc, `KV_${BUCKETS.vehicles}`) };
}

/** A server leading neither stream a POST writes to (with three servers and two streams there always is one). */
export function pureFollower(cluster: TestNatsCluster, leaders: Leaders): ClusterNode {
  return cluster.nodes.find((n) => n.name !== leaders.VEHICLES && n.name !== leaders.KV_vehicles)!;
}

export interface ProgrammeResult {
  /** One per server killed or restarted, with how long until every app was ready again. */
  records: FaultRecord[];
  /** Per phase, what was done in it. */
  actions: Record<string, string>;
}

/** Fills `into` as it goes, so a programme that stops half-way (it throws) still shows what it did. */
export async function runClusterProgramme(
  cluster: TestNatsCluster,
  stack: Stack,
  load: Load,
  steps: ClusterStep[],
  say: (line: string) => void,
  into: ProgrammeResult = { records: [], actions: {} },
): Promise<ProgrammeResult> {
  const { nc } = stack;
  const { records, actions } = into;

  const sinceStart = () => Math.round(performance.now() - load.origin);
  /** From now until every instance is ready (within `timeoutMs`): the slowest sets the figure. */
  const everyAppReady = async (record: FaultRecord, timeoutMs = 60_000) => {
    try {
      const times = await Promise.all(stack.specs.map(async (s) => [s.name, await stack.whenReady(s.name, timeoutMs)] as const));
      const [slowest, ms] = times.reduce((a, b) => (b[1] > a[1] ? b : a));
      record.readyAfterMs = ms;
      record.slowest = slowest;
    } catch (error) {
      record.error = `not every app ready within ${timeoutMs / 1000} s of the restart (${(error as Error).message})`;
    }
  };
  const phase = async (name: string, action: string, ms: number, act?: () => Promise<void>) => {
    load.phase = name;
    actions[name] = action;
    say(`${name}: ${action}`);
    const started = performance.now();
    await act?.();
    await Bun.sleep(Math.max(0, ms - (performance.now() - started)));
  };

  for (const step of steps) {
    if (step.kind === "load") {
      await phase(step.phase, `${step.ms / 1000} s of load${step.phase === "steady" ? " on the healthy cluster" : " after the faults"}`, step.ms);
      continue;
    }
    if (step.kind === "kill-server") {
      await clusterSettled(cluster, nc);
      const leaders = await streamLeaders(cluster, nc);
      const victim = step.pick === "follower" ? pureFollower(cluster, leaders) : cluster.node(leaders[step.pick]);
      const leads = Object.entries(leaders).filter(([, name]) => name === victim.name).map(([stream]) => stream);
      const what = `${victim.name} (${leads.length ? `leader of ${leads.join(" and ")}` : "leads neither VEHICLES nor KV_vehicles"})`;
      const record: FaultRecord = { atMs: sinceStart(), kind: "kill-server", target: what, downMs: step.downMs };
      await phase(`${step.label} down`, `kill -9 ${what}; ${step.downMs / 1000} s down`, step.downMs, () => victim.kill("SIGKILL"));
      // Every app must be ready again before the next fault: within the phase, or the record says it was not.
      await phase(`${step.label} back`, `start ${victim.name} again; ${step.backMs / 1000} s`, step.backMs, async () => {
        await victim.start();
        await everyAppReady(record, step.backMs);
      });
      records.push(record);
      continue;
    }
    await clusterSettled(cluster, nc);
    load.phase = "rolling restart";
    const done: string[] = [];
    for (const node of cluster.nodes) {
      const leader = await cluster.leaderOf(nc, STREAMS.vehicles.name);
      const record: FaultRecord = { atMs: sinceStart(), kind: "restart-server", target: `${node.name}${node.name === leader ? " (VEHICLES leader)" : ""}`, downMs: 0 };
      say(`rolling restart: SIGTERM ${record.target}, start it, wait until healthy and VEHICLES caught up`);
      const stopped = performance.now();
      await node.kill("SIGTERM");
      await node.start();
      record.downMs = Math.round(performance.now() - stopped);
      await clusterSettled(cluster, nc);
      await everyAppReady(record);
      records.push(record);
      done.push(record.target);
    }
    actions["rolling restart"] = `SIGTERM, start, wait until healthy and caught up: ${done.join(", ")}`;
  }
  return into;
}
