/**
 * nats-server configuration for one member of a JetStream cluster: pure, so `bun run dev --cluster` and the
 * test helper `startNatsCluster` write the same file, and a unit test reads it.
 */

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
   * A user of the system account, for `nats server report jetstream` and other server-wide requests. Apps and
   * every other client still connect without credentials, to the global account, as before.
   */
  systemUser?: { user: string; password: string };
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

/** The configuration file of one member; routes name every other member, so any one of them can start first. */
export function renderClusterMemberConfig(layout: ClusterLayout, name: string): string {
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
    ...(layout.systemUser
      ? [
          "# Server-wide requests (nats server report …) need a system account user; nobody else logs in.",
          `accounts { SYS: { users: [ { user: ${JSON.stringify(layout.systemUser.user)}, password: ${JSON.stringify(layout.systemUser.password)} } ] } }`,
          "system_account: SYS",
          "",
        ]
      : []),
  ].join("\n");
}
