/**
 * nats-server configuration for one member of a JetStream cluster: pure, so `bun run dev --cluster` and the
 * test helper `startNatsCluster` write the same file, and a unit test reads it. Every member requires the same
 * credentials as the single server (platform/nats-permissions.ts): the users' block is included or inlined.
 */
import { dirname, relative } from "node:path";

export interface ClusterMember {
  /** `server_name`: JetStream's Raft groups name their peers by it, so it must be unique and stable. */
  name: string;
  host: string;
  clientPort: number;
  /** The route listener the other members connect to. */
  clusterPort: number;
  monitorPort: number;
  /** This member's JetStream store (never shared between members). */
  storeDir: string;
}

export interface ClusterLayout {
  /** The cluster's name, the same on every member. */
  name: string;
  members: ClusterMember[];
  /**
   * The users (renderNatsAuth's block): `include`, an auth file's absolute path (bun run dev's, written into the
   * member's configuration relative to it, as nats-server 2.9 reads includes relative to the including file), or
   * `inline`, the block itself (tests). Without either the cluster takes anonymous clients: only for tests of
   * something else.
   */
  auth?: { include: string } | { inline: string };
}

/** Ports a cluster of `size` members takes from three bases: member i (from 0) adds i to each. */
export function clusterMembers(size: number, base: { host: string; clientPort: number; clusterPort: number; monitorPort: number; storeDir: (name: string) => string }): ClusterMember[] {
  return Array.from({ length: size }, (_, i) => {
    const name = `nats-${i + 1}`;
    return {
      name,
      host: base.host,
      clientPort: base.clientPort + i,
      clusterPort: base.clusterPort + i,
      monitorPort: base.monitorPort + i,
      storeDir: base.storeDir(name),
    };
  });
}

/** The client URLs of every member, comma-separated: what NATS_URL holds so a client can reach any of them. */
export function clusterUrls(layout: ClusterLayout): string {
  return layout.members.map((m) => `nats://${m.host}:${m.clientPort}`).join(",");
}

/**
 * The configuration file of one member, to be written at `configPath`; routes name every other member, so any one
 * of them can start first.
 */
export function renderClusterMemberConfig(layout: ClusterLayout, name: string, configPath: string): string {
  const member = layout.members.find((m) => m.name === name);
  if (!member) throw new Error(`no member ${name} in cluster ${layout.name}`);
  const routes = layout.members.filter((m) => m.name !== name).map((m) => `    nats-route://${m.host}:${m.clusterPort}`);
  return [
    `# ${member.name} of the NATS cluster "${layout.name}" (${layout.members.length} members); written by Forecourt, edits are overwritten.`,
    `server_name: ${member.name}`,
    `listen: ${member.host}:${member.clientPort}`,
    `http: ${member.host}:${member.monitorPort}`,
    "",
    "# The same limits as nats.conf.",
    "max_payload: 1MB",
    "max_pending: 64MB",
    "max_connections: 1024",
    'write_deadline: "10s"',
    "",
    "cluster {",
    `  name: ${layout.name}`,
    `  listen: ${member.host}:${member.clusterPort}`,
    "  routes: [",
    ...routes,
    "  ]",
    "}",
    "",
    "jetstream {",
    `  store_dir: ${JSON.stringify(member.storeDir)}`,
    "  max_memory_store: 256MB",
    "  max_file_store: 8GB",
    "}",
    "",
    ...authLines(layout.auth, configPath),
  ].join("\n");
}

function authLines(auth: ClusterLayout["auth"], configPath: string): string[] {
  if (!auth) return [];
  if ("inline" in auth) return ["# Every client needs credentials: the same users and permissions as the single server.", auth.inline];
  return ["# Every client needs credentials: the same users and permissions as nats.conf's.", `include ${JSON.stringify(relative(dirname(configPath), auth.include))}`, ""];
}
