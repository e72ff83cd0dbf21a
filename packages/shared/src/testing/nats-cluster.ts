/**
 * A real JetStream cluster for one test file or benchmark: n nats-servers named nats-1..n, each with free
 * client, route and monitoring ports and its own temporary store, routed to each other. Each server can be
 * killed (SIGKILL by default) and started again on the same ports and store, to cause a failover. `secured`:
 * every member requires Forecourt's users (as `bun run dev --cluster`'s do), whose passwords are in `users`.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Subprocess } from "bun";
import { clusterUrls, renderClusterMemberConfig, type ClusterLayout, type ClusterMember } from "./nats-cluster-config.ts";
import { freePort, portAnswers } from "./ports.ts";
import { createTestUsers, type TestUsers } from "./secured-nats.ts";
import { waitFor } from "./wait.ts";

export interface ClusterNode {
  name: string;
  url: string;
  port: number;
  monitorUrl: string;
  storeDir: string;
  /** The server's own log (nats-server -l) and its stderr (a panic goes there), kept across restarts, for a failing test to quote. */
  logFile: string;
  stderrFile: string;
  /** Started by the test and not killed by it (it may have exited by itself: see `exited`). */
  running(): boolean;
  /** How the process ended when it exited without the test killing it ("code 2", "signal SIGSEGV"); else undefined. */
  exited(): string | undefined;
  /** Sends the signal (SIGKILL unless told) and waits until the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same ports and store; resolves once it listens. */
  start(): Promise<void>;
}

export interface TestNatsCluster {
  nodes: ClusterNode[];
  /** Every member's client URL, comma-separated (for NATS_URL). */
  url: string;
  /** Every member's client URL, for `connect({ servers })`. */
  servers: string[];
  node(name: string): ClusterNode;
  /** With `secured`: every user's password, env and connect (admin sets JetStream up, each app connects as its own). */
  users?: TestUsers;
  /** The server name leading the stream's Raft group, asked through the connection. */
  leaderOf(nc: NatsConnection, stream: string): Promise<string>;
  /** Resolves once every running member answers /healthz?js-server-only with 200 (JetStream up and current with its meta leader). */
  healthy(timeoutMs?: number): Promise<void>;
  /** Each member's last warnings and errors from its log, for a failing test's message. */
  warnings(perNode?: number): string;
  dispose(): Promise<void>;
}

export async function startNatsCluster(size = 3, { name = "forecourt-test", secured = false } = {}): Promise<TestNatsCluster> {
  const root = mkdtempSync(join(tmpdir(), "forecourt-cluster-"));
  const members: ClusterMember[] = [];
  for (let i = 1; i <= size; i++) {
    const memberName = `nats-${i}`;
    members.push({ name: memberName, host: "127.0.0.1", clientPort: await freePort(), clusterPort: await freePort(), monitorPort: await freePort(), storeDir: join(root, memberName) });
  }
  const users = secured ? await createTestUsers(() => clusterUrls({ name, members })) : undefined;
  const layout: ClusterLayout = { name, members, ...(users ? { auth: { inline: users.authConfig } } : {}) };
  const nodes = members.map((member) => clusterNode(layout, member, root));
  const cluster: TestNatsCluster = {
    nodes,
    users,
    url: clusterUrls(layout),
    servers: clusterUrls(layout).split(","),
    node(nodeName) {
      const node = nodes.find((n) => n.name === nodeName);
      if (!node) throw new Error(`no node ${nodeName} in the test cluster (${nodes.map((n) => n.name).join(", ")})`);
      return node;
    },
    async leaderOf(nc, stream) {
      const jsm = await jetstreamManager(nc);
      return waitFor(async () => (await jsm.streams.info(stream)).cluster?.leader, { timeoutMs: 20_000, what: `a leader of ${stream}` });
    },
    async healthy(timeoutMs = 30_000) {
      for (const node of nodes) {
        const exit = node.exited();
        if (exit !== undefined) throw new Error(`${node.name} exited by itself (${exit}); its last words: ${lastWarnings(node, 5).join(" | ") || "none"}`);
      }
      for (const node of nodes.filter((n) => n.running())) {
        // js-server-only: this server's JetStream up and current with the meta leader. The full check also wants every
        // stream and consumer the server holds current, which after a kill -9 under load can stay false for minutes (an
        // ephemeral consumer of the dead server's, say); a test asks about the streams it relies on itself.
        let answer = "no answer";
        await waitFor(
          async () => {
            // Bounded: a server busy recovering may accept the connection and answer late.
            const res = await fetch(`${node.monitorUrl}/healthz?js-server-only=true`, { signal: AbortSignal.timeout(2_000) });
            answer = `${res.status} ${await res.text()}`;
            return res.ok;
          },
          { timeoutMs, intervalMs: 100, what: () => `${node.name} to be healthy (last answer: ${answer.trim()})` },
        );
      }
    },
    warnings(perNode = 5) {
      return nodes
        .map((n) => {
          const exit = n.exited();
          const state = exit !== undefined ? ` (exited by itself: ${exit})` : n.running() ? "" : " (down)";
          return `${n.name}${state}: ${lastWarnings(n, perNode).join(" | ") || "no warnings"}`;
        })
        .join("\n");
    },
    async dispose() {
      await Promise.all(nodes.map((n) => n.kill("SIGTERM")));
      rmSync(root, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(nodes.map((n) => n.start()));
    await cluster.healthy();
  } catch (error) {
    await cluster.dispose();
    throw error;
  }
  return cluster;
}

/** The server's last warnings, errors and fatal lines from its log, and anything it wrote to stderr (a panic). */
function lastWarnings(node: ClusterNode, count: number): string[] {
  const read = (path: string) => {
    try {
      return readFileSync(path, "utf8").split("\n");
    } catch {
      return [];
    }
  };
  const logged = read(node.logFile).filter((line) => /\[(WRN|ERR|FTL)\]/.test(line));
  const stderr = read(node.stderrFile).filter((line) => line.trim());
  return [...logged.slice(-count), ...stderr.slice(0, count)];
}

function clusterNode(layout: ClusterLayout, member: ClusterMember, root: string): ClusterNode {
  const configFile = join(root, `${member.name}.conf`);
  const logFile = join(root, `${member.name}.log`);
  const stderrFile = join(root, `${member.name}.stderr`);
  mkdirSync(member.storeDir, { recursive: true });
  writeFileSync(configFile, renderClusterMemberConfig(layout, member.name, configFile));
  let proc: Subprocess | undefined;
  return {
    name: member.name,
    url: `nats://${member.host}:${member.clientPort}`,
    port: member.clientPort,
    monitorUrl: `http://${member.host}:${member.monitorPort}`,
    storeDir: member.storeDir,
    logFile,
    stderrFile,
    running: () => proc !== undefined,
    // A process ended by a signal keeps exitCode null: only signalCode says it is gone.
    exited: () => (proc?.signalCode ? `signal ${proc.signalCode}` : proc && proc.exitCode !== null ? `code ${proc.exitCode}` : undefined),
    async kill(signal = "SIGKILL") {
      if (!proc) return;
      proc.kill(signal);
      await proc.exited;
      proc = undefined;
    },
    async start() {
      if (proc) return;
      const stderr = openSync(stderrFile, "a");
      proc = Bun.spawn(["nats-server", "-c", configFile, "-l", logFile], { stdout: "ignore", stderr });
      closeSync(stderr);
      const started = proc;
      await waitFor(() => (started.exitCode !== null || started.signalCode !== null ? Promise.reject(new Error(`${member.name} exited ${started.exitCode ?? started.signalCode}`)) : portAnswers(member.clientPort)), {
        intervalMs: 20,
        what: `${member.name} to listen on ${member.clientPort}`,
      });
    },
  };
}
