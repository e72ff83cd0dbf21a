/**
 * The cluster failover programme, phase by phase, under a running load: kill -9 a server that leads neither
 * stream a POST writes to (the `vehicles` bucket's KV_vehicles, then VEHICLES) and start it again after a while; the same for the VEHICLES leader; then restart the three one by
 * one (SIGTERM, start, wait until healthy and caught up). Each phase relabels the load, so what clients got
 * during it is counted separately.
 */
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { BUCKETS, STREAMS } from "@forecourt/shared/contracts";
import { placedReplicas } from "@forecourt/shared/platform";
import { waitFor, type ClusterNode, type TestNatsCluster } from "@forecourt/shared/testing";
import type { Load } from "./load.ts";

export interface Timings {
  /** Load before the first fault and after the last. */
  steadyMs: number;
  /** How long a killed server stays down. */
  downMs: number;
  /** Load after a restart before the next fault. */
  recoverMs: number;
}

export const FULL: Timings = { steadyMs: 10_000, downMs: 10_000, recoverMs: 10_000 };
export const QUICK: Timings = { steadyMs: 3_000, downMs: 3_000, recoverMs: 3_000 };

export interface PhaseNote {
  phase: string;
  /** What was done, e.g. "kill -9 nats-2 (VEHICLES leader)". */
  action: string;
}

/** Waits until every running member is healthy and VEHICLES has a leader and all its replicas current again. */
export async function clusterSettled(cluster: TestNatsCluster, nc: NatsConnection, timeoutMs = 60_000): Promise<void> {
  await cluster.healthy(timeoutMs);
  const jsm = await waitFor(() => jetstreamManager(nc), { timeoutMs, what: "JetStream to answer" });
  await waitFor(
    async () => {
      const info = await jsm.streams.info(STREAMS.vehicles.name);
      return info.cluster?.leader && placedReplicas(info) === info.config.num_replicas && (info.cluster.replicas ?? []).every((r) => r.current);
    },
    { timeoutMs, intervalMs: 250, what: "VEHICLES to have a leader and every replica current" },
  );
}

/** The servers leading the two streams a POST writes to: the bucket first (KV_vehicles), then VEHICLES. */
export interface Leaders {
  VEHICLES: string;
  KV_vehicles: string;
}

export async function streamLeaders(cluster: TestNatsCluster, nc: NatsConnection): Promise<Leaders> {
  return { VEHICLES: await cluster.leaderOf(nc, STREAMS.vehicles.name), KV_vehicles: await cluster.leaderOf(nc, `KV_${BUCKETS.vehicles}`) };
}

/** A server leading neither stream a POST writes to (with three servers and two streams there always is one). */
export function pureFollower(cluster: TestNatsCluster, leaders: Leaders): ClusterNode {
  return cluster.nodes.find((n) => n.name !== leaders.VEHICLES && n.name !== leaders.KV_vehicles)!;
}

export async function runProgramme(cluster: TestNatsCluster, nc: NatsConnection, load: Load, t: Timings, say: (line: string) => void): Promise<PhaseNote[]> {
  const notes: PhaseNote[] = [];
  const phase = async (name: string, action: string, ms: number, before?: () => Promise<void>) => {
    load.phase = name;
    say(`${name}: ${action}`);
    notes.push({ phase: name, action });
    const started = Date.now();
    await before?.();
    await Bun.sleep(Math.max(0, ms - (Date.now() - started)));
  };
  const killAndRestart = async (label: string, pick: "follower" | keyof Leaders) => {
    await clusterSettled(cluster, nc);
    const leaders = await streamLeaders(cluster, nc);
    const victim = pick === "follower" ? pureFollower(cluster, leaders) : cluster.node(leaders[pick]);
    const leads = Object.entries(leaders).filter(([, name]) => name === victim.name).map(([stream]) => stream);
    const action = `kill -9 ${victim.name} (${leads.length ? `leader of ${leads.join(" and ")}` : "leads neither VEHICLES nor KV_vehicles"}); ${t.downMs / 1000} s down`;
    await phase(`${label} down`, action, t.downMs, () => victim.kill("SIGKILL"));
    await phase(`${label} back`, `start ${victim.name} again; ${t.recoverMs / 1000} s`, t.recoverMs, () => victim.start());
  };

  await phase("steady", `${t.steadyMs / 1000} s of load on the healthy cluster`, t.steadyMs);
  await killAndRestart("follower", "follower");
  await killAndRestart("VEHICLES leader", "VEHICLES");
  await killAndRestart("bucket leader", "KV_vehicles");
  await clusterSettled(cluster, nc);
  load.phase = "rolling restart";
  for (const node of cluster.nodes) {
    const leader = await cluster.leaderOf(nc, STREAMS.vehicles.name);
    const action = `SIGTERM ${node.name}${node.name === leader ? " (VEHICLES leader)" : ""}, start it, wait until healthy and VEHICLES caught up`;
    say(`rolling restart: ${action}`);
    notes.push({ phase: "rolling restart", action });
    await node.kill("SIGTERM");
    await node.start();
    await clusterSettled(cluster, nc);
  }
  await phase("after", `${t.steadyMs / 1000} s of load after the faults`, t.steadyMs);
  return notes;
}
