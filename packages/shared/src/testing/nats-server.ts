/**
 * A real nats-server for one test file: free port, temporary JetStream store, always cleaned up.
 * Never the server `bun run dev` uses.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";

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

async function waitForPortsFile(dir: string, pid: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const file = `nats-server_${pid}.ports`;
  while (Date.now() < deadline) {
    if (readdirSync(dir).includes(file)) {
      try {
        const ports = JSON.parse(readFileSync(join(dir, file), "utf8")) as { nats: string[] };
        const url = ports.nats[0];
        if (url) return Number(new URL(url).port);
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

export async function startNatsServer(options: { jetstream?: boolean } = {}): Promise<TestNatsServer> {
  const root = mkdtempSync(join(tmpdir(), "forecourt-nats-"));
  const storeDir = join(root, "store");
  let proc: Subprocess | undefined;
  let port = -1;

  const start = async () => {
    const args = ["nats-server", "-a", "127.0.0.1", "-p", String(port), "--ports_file_dir", root];
    if (options.jetstream !== false) args.push("-js", "-sd", storeDir);
    proc = Bun.spawn(args, { stdout: "ignore", stderr: "ignore" });
    if (port === -1) port = await waitForPortsFile(root, proc.pid, 10_000);
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
    storeDir,
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
