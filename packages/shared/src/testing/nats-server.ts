/**
 * A real nats-server for one test file: free port, temporary JetStream store, always cleaned up.
 * Never the server `bun run dev` uses.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";

export interface TestNatsServer {
  url: string;
  port: number;
  /** The HTTP monitoring endpoint (`/varz`, `/leafz`, …) when started with `monitor: true`. */
  monitorUrl: string | undefined;
  storeDir: string;
  /** Stops the server (SIGTERM), keeping its store so `start()` brings the same streams back. */
  stop(): Promise<void>;
  /** Starts it again on the same port and store. */
  start(): Promise<void>;
  /** Stops it and deletes its store. */
  dispose(): Promise<void>;
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

async function waitForPortsFile(dir: string, pid: number, timeoutMs: number): Promise<ReportedPorts> {
  const deadline = Date.now() + timeoutMs;
  const file = `nats-server_${pid}.ports`;
  while (Date.now() < deadline) {
    if (readdirSync(dir).includes(file)) {
      try {
        const ports = JSON.parse(readFileSync(join(dir, file), "utf8")) as { nats: string[]; monitoring?: string[] };
        const url = ports.nats[0];
        const monitor = ports.monitoring?.[0];
        if (url) return { port: Number(new URL(url).port), monitorPort: monitor ? Number(new URL(monitor).port) : undefined };
      } catch {
        // nats-server is still writing the file: read it again on the next turn.
      }
    }
    await Bun.sleep(20);
  }
  throw new Error(`nats-server did not report its port within ${timeoutMs} ms`);
}

async function waitForListening(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const socket = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } });
      socket.end();
      return;
    } catch {
      await Bun.sleep(20);
    }
  }
  throw new Error(`nats-server did not listen on ${port} within ${timeoutMs} ms`);
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
    if (port === -1) {
      const reported = await waitForPortsFile(root, proc.pid, 10_000);
      port = reported.port;
      monitorPort = reported.monitorPort ?? -1;
    }
    await waitForListening(port, 10_000);
  };
  const stop = async () => {
    if (!proc) return;
    proc.kill("SIGTERM");
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
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
