/**
 * `bun run dev --cluster`: three nats-servers as one JetStream cluster, named nats-1..3, on consecutive ports
 * from three bases (client NATS_URL's port, 4222; routes NATS_CLUSTER_PORT, 6222; monitoring NATS_MONITOR_PORT,
 * 8222), each with its own store (NATS_STORE_DIR-1..3, default .data/nats-1..3) and its configuration written
 * beside it. Every member includes the same auth file as nats.conf (bun run dev's credentials), so the cluster
 * requires the same users as the single server, plus a system account user `sys` for server-wide reports.
 * Pure: dev.ts writes the files and starts the servers.
 */
import { join, resolve } from "node:path";
import { ConfigError, EnvReader, MAX_REPLICAS, type Env } from "@forecourt/shared/platform";
import { clusterMembers, clusterUrls, renderClusterMemberConfig, type ClusterLayout } from "@forecourt/shared/testing";
import type { DevPlan } from "./apps.ts";

export const CLUSTER_SIZE = 3;
export const CLUSTER_NAME = "forecourt";

export interface ClusterServer {
  name: string;
  configPath: string;
  config: string;
  storeDir: string;
  clientPort: number;
  monitorUrl: string;
}

export interface ClusterPlan {
  layout: ClusterLayout;
  /** Every member's client URL, comma-separated: what every app gets as NATS_URL. */
  natsUrl: string;
  servers: ClusterServer[];
  /** Every port the cluster takes, checked free before anything starts. */
  ports: { name: string; variable: string; port: number }[];
}

/** NATS_REPLICAS, the one replica setting: 3 by default in a cluster, 1 on a single server. */
export function devReplicas(env: Env, cluster: boolean): number {
  const reader = new EnvReader(env);
  const replicas = reader.int("NATS_REPLICAS", cluster ? CLUSTER_SIZE : 1, 1, MAX_REPLICAS);
  if (cluster && replicas > CLUSTER_SIZE) reader.problems.push(`NATS_REPLICAS must be at most ${CLUSTER_SIZE} with --cluster (${CLUSTER_SIZE} servers), got "${env.NATS_REPLICAS}"`);
  reader.done();
  return replicas;
}

/** `authFile`: the users' auth file every member includes (credentials.ts); without one the cluster takes anyone (tests of the layout). */
export function planCluster(plan: Pick<DevPlan, "natsPort" | "monitorPort" | "storeDir">, env: Env, root: string, authFile?: string): ClusterPlan {
  const reader = new EnvReader(env);
  const clusterPort = reader.port("NATS_CLUSTER_PORT", 6222);
  reader.done();
  const base = resolve(root, plan.storeDir ?? ".data/nats");
  const members = clusterMembers(CLUSTER_SIZE, { host: "127.0.0.1", clientPort: plan.natsPort, clusterPort, monitorPort: plan.monitorPort, storeDir: (name) => `${base}-${name.replace(/^nats-/, "")}` });
  const tooHigh = members.find((m) => Math.max(m.clientPort, m.clusterPort, m.monitorPort) > 65535);
  if (tooHigh) throw new ConfigError([`the cluster's ports run past 65535 from NATS_URL's port ${plan.natsPort}, NATS_CLUSTER_PORT ${clusterPort} or NATS_MONITOR_PORT ${plan.monitorPort}`]);
  const layout: ClusterLayout = { name: CLUSTER_NAME, members, ...(authFile ? { auth: { include: authFile } } : {}) };
  return {
    layout,
    natsUrl: clusterUrls(layout),
    servers: members.map((m) => ({
      name: m.name,
      configPath: join(m.storeDir, "nats.conf"),
      config: renderClusterMemberConfig(layout, m.name, join(m.storeDir, "nats.conf")),
      storeDir: m.storeDir,
      clientPort: m.clientPort,
      monitorUrl: `http://127.0.0.1:${m.monitorPort}`,
    })),
    ports: members.flatMap((m) => [
      { name: `${m.name} clients`, variable: "NATS_URL", port: m.clientPort },
      { name: `${m.name} routes`, variable: "NATS_CLUSTER_PORT", port: m.clusterPort },
      { name: `${m.name} monitoring`, variable: "NATS_MONITOR_PORT", port: m.monitorPort },
    ]),
  };
}
