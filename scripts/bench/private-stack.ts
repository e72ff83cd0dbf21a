/**
 * A private Forecourt for the bench, started exactly as a developer starts one: `bun run dev` (scripts/dev.ts,
 * info logs, every line re-formatted by the runner) on free ports with a temporary JetStream store, so the
 * figures include everything `bun run dev` costs. Secured as `bun run dev` runs it: the runner makes the NATS
 * users' passwords and the demo dealer's key in a credentials folder of the stack's own, from which the bench reads
 * the admin's password (for its baselines' own buckets) and the dealer's key (for its POSTs). The runner's output
 * goes to a file in the run's folder. Each process (nats-server, every app, the runner itself) is found by its pid,
 * for CPU and memory readings.
 */
import { closeSync, openSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "@forecourt/shared/testing";
import { freeStackPorts, stackEnv } from "../dev/stack-env.ts";
import { DEMO_KEY_FILE, readSecret } from "../dev/credentials.ts";
import { childPids, commandLine } from "./proc-stats.ts";

export interface StackUrls {
  api: string;
  web: string;
  /** The price calculator's h2c listener (gRPC). */
  pricing: string;
  nats: string;
}

export interface DevStack {
  /** Process ids by name: "dev runner", "nats-server" and each app started. */
  pids: Record<string, number>;
  urls: StackUrls;
  /** The demo dealer's key, for `authorization: Bearer …` on writes. */
  dealerKey: string;
  /** NATS user admin's password, for what the bench itself makes in JetStream (a baseline's bucket). */
  adminPassword: string;
  stop(): Promise<void>;
}

export interface DevStackOptions {
  root: string;
  /** JetStream store, kept between stacks of one run so later stages see earlier data. */
  storeDir: string;
  /** NATS passwords and the demo dealer's key (CREDENTIALS_DIR): one folder per stack, as each has its own store. */
  credentialsDir: string;
  auditLogPath: string;
  logFile: string;
  /** `bun run dev --only …`; every app when absent. */
  only?: string[];
  env?: Record<string, string>;
}

/** Which process a child of the runner is: "nats-server" or the app named by its entry point. */
export function processName(commandLine: string): string | undefined {
  if (/(^|\/)nats-server(\s|$)/.test(commandLine)) return "nats-server";
  return /apps\/([a-z-]+)\/src\/main\.ts/.exec(commandLine)?.[1];
}

export async function startDevStack(options: DevStackOptions): Promise<DevStack> {
  const ports = await freeStackPorts();
  const urls: StackUrls = {
    api: `http://127.0.0.1:${ports.api}`,
    web: `http://127.0.0.1:${ports.web}`,
    pricing: `http://127.0.0.1:${ports.pricing}`,
    nats: `nats://127.0.0.1:${ports.nats}`,
  };
  const env = {
    ...process.env,
    ...stackEnv(ports, options),
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    ...options.env,
  };
  const args = ["bun", "scripts/dev.ts", ...(options.only ? ["--only", options.only.join(",")] : [])];
  const out = openSync(options.logFile, "a");
  // The file may hold an earlier stack's output: only what this runner writes counts.
  const from = statSync(options.logFile).size;
  const dev = Bun.spawn(args, { cwd: options.root, env, stdin: "ignore", stdout: out, stderr: out });
  closeSync(out);
  const stop = async () => {
    if (dev.exitCode !== null) return;
    dev.kill("SIGTERM");
    await Promise.race([dev.exited, Bun.sleep(10_000)]);
    if (dev.exitCode === null) dev.kill("SIGKILL");
  };
  try {
    const exited = dev.exited.then((code) => Promise.reject(new Error(`bun run dev exited ${code}; see ${options.logFile}`)));
    const ready = waitFor(() => readFileSync(options.logFile).subarray(from).includes("Forecourt is running"), {
      timeoutMs: 120_000,
      intervalMs: 100,
      what: `bun run dev to report every app ready (log: ${options.logFile})`,
    });
    await Promise.race([ready, exited]);
  } catch (error) {
    await stop();
    throw error;
  }
  const pids: Record<string, number> = { "dev runner": dev.pid };
  for (const pid of childPids(dev.pid)) {
    const name = processName(commandLine(pid));
    if (name) pids[name] = pid;
  }
  const dealerKey = readSecret(join(options.credentialsDir, DEMO_KEY_FILE));
  const adminPassword = readSecret(join(options.credentialsDir, "admin.password"));
  if (!dealerKey || !adminPassword) {
    await stop();
    throw new Error(`bun run dev left no demo dealer key or admin password in ${options.credentialsDir}`);
  }
  return { pids, urls, dealerKey, adminPassword, stop };
}
