/**
 * One participant's whole stack, started exactly as a person starts it (`bun run dev --join … --as …`), but on free
 * ports with its own temporary store: for the workshop integration tests and the lab, which run a hub and several
 * participants on one machine.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { waitFor } from "@forecourt/shared/testing";
import { freeStackPorts, stackEnv } from "../dev/stack-env.ts";

const root = join(import.meta.dir, "../..");

export interface ParticipantStackOptions {
  name: string;
  password: string;
  /** The hub's leaf address, host:port. */
  hubAddress: string;
  /** Extra `bun run dev` flags, e.g. ["--without", "pricing"]. */
  flags?: string[];
  /** Extra environment for the runner and its apps. */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

export interface ParticipantStack {
  name: string;
  natsUrl: string;
  monitorUrl: string;
  apiUrl: string;
  webUrl: string;
  auditLogPath: string;
  /** The demo dealer's API key, as `bun run dev` printed it: writes send it as Authorization: Bearer <key>. */
  dealerKey: string;
  /** A client connection to the stack's own NATS, as its admin. */
  nc: NatsConnection;
  /** Everything the runner printed so far (its apps' lines included). */
  output(): string;
  stop(): Promise<void>;
}

export async function startParticipantStack(options: ParticipantStackOptions): Promise<ParticipantStack> {
  const dir = mkdtempSync(join(tmpdir(), `forecourt-${options.name}-`));
  const ports = await freeStackPorts();
  const auditLogPath = join(dir, "audit-log.jsonl");
  const env = {
    ...process.env,
    ...stackEnv(ports, { storeDir: join(dir, "nats"), credentialsDir: join(dir, "credentials"), auditLogPath }),
    DEMO_VEHICLES: "0",
    ...options.env,
  };
  const url = `nats-leaf://${options.name}:${options.password}@${options.hubAddress}`;
  const proc: Subprocess<"ignore", "pipe", "pipe"> = Bun.spawn(["bun", "scripts/dev.ts", "--join", url, "--as", options.name, ...(options.flags ?? [])], { cwd: root, env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  let output = "";
  const read = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) output += decoder.decode(chunk, { stream: true });
  };
  void read(proc.stdout);
  void read(proc.stderr);
  const stop = async () => {
    if (proc.exitCode === null) {
      proc.kill("SIGINT");
      const stopped = await Promise.race([proc.exited.then(() => true), Bun.sleep(8_000).then(() => false)]);
      if (!stopped) proc.kill("SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      () => {
        if (proc.exitCode !== null) throw new Error(`${options.name}'s bun run dev exited with ${proc.exitCode}:\n${output.slice(-3000)}`);
        return output.includes("Forecourt is running");
      },
      { timeoutMs: options.readyTimeoutMs ?? 120_000, intervalMs: 200, what: `${options.name}'s stack to be ready` },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const secret = (file: string) => readFileSync(join(dir, "credentials", file), "utf8").trim();
  const nc = await connect({ servers: env.NATS_URL, name: `test-${options.name}`, user: "admin", pass: secret("admin.password") });
  return {
    name: options.name,
    natsUrl: env.NATS_URL,
    monitorUrl: `http://127.0.0.1:${ports.monitor}`,
    apiUrl: `http://127.0.0.1:${ports.api}`,
    webUrl: `http://127.0.0.1:${ports.web}`,
    auditLogPath,
    dealerKey: secret("demo-dealer.key"),
    nc,
    output: () => output,
    async stop() {
      await nc.close().catch(() => {});
      await stop();
    },
  };
}
