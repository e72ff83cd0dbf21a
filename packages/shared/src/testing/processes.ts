/** Helpers for integration tests that run apps as real processes. */
import type { Subprocess } from "bun";
import { waitFor } from "./wait.ts";

export interface AppProcess {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  /** Every JSON log line the app wrote so far. */
  logs: Record<string, unknown>[];
  /** What the app wrote on stderr so far (a crash's stack trace lands here). */
  stderr(): string;
  /** Resolves when a log line satisfies the predicate. */
  waitForLog(predicate: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  kill(signal?: NodeJS.Signals): Promise<number>;
}

/**
 * Starts `bun <entry>` with env, collecting its JSON logs; resolves once it logs "ready". Workers serve their
 * metrics on a free port unless the test names one (METRICS_PORT), so several can run side by side.
 */
export async function startApp(entry: string, env: Record<string, string>, { waitReady = true } = {}): Promise<AppProcess> {
  const proc = Bun.spawn(["bun", entry], {
    env: { ...process.env, LOG_LEVEL: "info", METRICS_PORT: "0", ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const logs: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  void (async () => {
    const decoder = new TextDecoder();
    let buffered = "";
    for await (const chunk of proc.stdout) {
      buffered += decoder.decode(chunk, { stream: true });
      let newline: number;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        try {
          logs.push(JSON.parse(line));
        } catch {
          logs.push({ msg: "unstructured", line });
        }
      }
    }
  })();
  void (async () => {
    for await (const chunk of proc.stderr) stderr.push(new TextDecoder().decode(chunk));
  })();
  const app: AppProcess = {
    proc,
    logs,
    stderr: () => stderr.join(""),
    async waitForLog(predicate, timeoutMs = 15_000) {
      return waitFor(() => logs.find(predicate) ?? (proc.exitCode !== null ? Promise.reject(new Error(`${entry} exited ${proc.exitCode}: ${stderr.join("")}`)) : undefined), {
        timeoutMs,
        what: `a log line from ${entry}`,
      });
    },
    async kill(signal = "SIGTERM") {
      if (proc.exitCode === null) proc.kill(signal);
      return proc.exited;
    },
  };
  if (waitReady) await app.waitForLog((line) => line.msg === "ready");
  return app;
}
