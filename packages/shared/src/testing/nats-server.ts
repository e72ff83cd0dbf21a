/**
 * A real nats-server for one test file: free port, temporary JetStream store, always cleaned up.
 * Never the server `bun run dev` uses.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { portAnswers } from "./ports.ts";
import { waitFor } from "./wait.ts";

export interface TestNatsServer {
  url: string;
  port: number;
  /** The HTTP monitoring endpoint (`/varz`, `/leafz`, …) when started with `monitor: true`. */
  monitorUrl: string | undefined;
  storeDir: string;
  /** Stops the server (SIGTERM), keeping its store so `start()` brings the same streams back. */
  stop(): Promise<void>;
  /** Kills the server (SIGKILL: no flush, no goodbye to clients), keeping its store for `start()`. */
  kill(): Promise<void>;
  /** Starts it again on the same port and store. */
  start(): Promise<void>;
  /** Stops it and deletes its store. */
  dispose(): Promise<void>;
  /** Sends a signal to the server process (SIGSTOP freezes it: connections stay open, nothing is answered; SIGCONT resumes). */
  signal(signal: NodeJS.Signals): void;
}

export interface NatsServerOptions {
  jetstream?: boolean;
  /** Also serve HTTP monitoring on a free port (see `monitorUrl`). */
  monitor?: boolean;
  /**
   * nats-server configuration text (leaf nodes, clusters, accounts, `server_name`), written to the temp dir and
   * passed with `-c`. The client port, monitoring port and JetStream store still come from the helper.
   */
  config?: string;
}

interface ReportedPorts {
  port: number;
  monitorPort?: number;
}

/** The ports nats-server, started with `-p -1`, wrote to its ports file once it picked them. */
function portsFromPortsFile(dir: string, pid: number): ReportedPorts | undefined {
  const file = `nats-server_${pid}.ports`;
  if (!readdirSync(dir).includes(file)) return undefined;
  try {
    const ports = JSON.parse(readFileSync(join(dir, file), "utf8")) as { nats: string[]; monitoring?: string[] };
    const url = ports.nats[0];
    const monitor = ports.monitoring?.[0];
    return url ? { port: Number(new URL(url).port), monitorPort: monitor ? Number(new URL(monitor).port) : undefined } : undefined;
  } catch {
    return undefined; // nats-server is still writing the file: read it again on the next turn
  }
}

export async function startNatsServer(options: NatsServerOptions = {}): Promise<TestNatsServer> {
  const root = mkdtempSync(join(tmpdir(), "forecourt-nats-"));
  const storeDir = join(root, "store");
  let proc: Subprocess | undefined;
  let port = -1;
  let monitorPort = -1;
  const configFile = join(root, "server.conf");
  if (options.config !== undefined) writeFileSync(configFile, options.config);

  const start = async () => {
    const args = ["nats-server", "-a", "127.0.0.1", "-p", String(port), "--ports_file_dir", root];
    if (options.config !== undefined) args.push("-c", configFile);
    if (options.monitor) args.push("-m", String(monitorPort));
    if (options.jetstream !== false) args.push("-js", "-sd", storeDir);
    proc = Bun.spawn(args, { stdout: "ignore", stderr: "ignore" });
    const pid = proc.pid;
    if (port === -1) {
      const reported = await waitFor(() => portsFromPortsFile(root, pid), { intervalMs: 20, what: "nats-server to report its port" });
      port = reported.port;
      monitorPort = reported.monitorPort ?? -1;
    }
    await waitFor(() => portAnswers(port), { intervalMs: 20, what: `nats-server to listen on ${port}` });
  };
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (!proc) return;
    proc.kill(signal);
    await proc.exited;
    proc = undefined;
  };

  await start();
  return {
    get url() {
      return `nats://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    get monitorUrl() {
      return options.monitor ? `http://127.0.0.1:${monitorPort}` : undefined;
    },
    storeDir,
    stop: () => stop(),
    kill: () => stop("SIGKILL"),
    start,
    signal: (signal) => void proc?.kill(signal),
    async dispose() {
      await stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
