/**
 * A real nats-server for one test file: free port, temporary JetStream store, always cleaned up.
 * Never the server `bun run dev` uses.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { portAnswers } from "./ports.ts";
import { waitFor } from "./wait.ts";

export interface TestNatsServer {
  url: string;
  port: number;
  storeDir: string;
  /** Stops the server (SIGTERM), keeping its store so `start()` brings the same streams back. */
  stop(): Promise<void>;
  /** Starts it again on the same port and store. */
  start(): Promise<void>;
  /** Stops it and deletes its store. */
  dispose(): Promise<void>;
}

/** The port nats-server, started with `-p -1`, wrote to its ports file once it picked one. */
function portFromPortsFile(dir: string, pid: number): number | undefined {
  const file = `nats-server_${pid}.ports`;
  if (!readdirSync(dir).includes(file)) return undefined;
  try {
    const url = (JSON.parse(readFileSync(join(dir, file), "utf8")) as { nats: string[] }).nats[0];
    return url ? Number(new URL(url).port) : undefined;
  } catch {
    return undefined; // nats-server is still writing the file: read it again on the next turn
  }
}

export async function startNatsServer(options: { jetstream?: boolean } = {}): Promise<TestNatsServer> {
  const root = mkdtempSync(join(tmpdir(), "forecourt-nats-"));
  const storeDir = join(root, "store");
  let proc: Subprocess | undefined;
  let port = -1;

  const start = async () => {
    const args = ["nats-server", "-a", "127.0.0.1", "-p", String(port), "--ports_file_dir", root];
    if (options.jetstream !== false) args.push("-js", "-sd", storeDir);
    proc = Bun.spawn(args, { stdout: "ignore", stderr: "ignore" });
    const pid = proc.pid;
    if (port === -1) port = await waitFor(() => portFromPortsFile(root, pid), { intervalMs: 20, what: "nats-server to report its port" });
    await waitFor(() => portAnswers(port), { intervalMs: 20, what: `nats-server to listen on ${port}` });
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
    storeDir,
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
