/** Graceful stop on SIGINT/SIGTERM: steps run in order (stop intake first, drain NATS last), bounded in time. */
import type { Logger } from "./log.ts";

export type ShutdownStep = () => unknown | Promise<unknown>;

export interface ShutdownOptions {
  /** The whole shutdown must finish within this, or the process exits anyway (bun run dev allows 5 s). */
  timeoutMs?: number;
  exit?: (code: number) => void;
}

export function onShutdown(log: Logger, steps: ShutdownStep[], options: ShutdownOptions = {}): () => Promise<void> {
  const timeoutMs = options.timeoutMs ?? 4_000;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping: Promise<void> | undefined;

  const run = (signal: string) => {
    stopping ??= (async () => {
      log.info("stopping", { signal });
      const deadline = setTimeout(() => {
        log.warn("shutdown timed out", { timeoutMs });
        exit(1);
      }, timeoutMs);
      let code = 0;
      for (const step of steps) {
        try {
          await step();
        } catch (error) {
          code = 1;
          log.error("shutdown step failed", { error });
        }
      }
      clearTimeout(deadline);
      log.info("stopped");
      exit(code);
    })();
    return stopping;
  };

  process.once("SIGINT", () => void run("SIGINT"));
  process.once("SIGTERM", () => void run("SIGTERM"));
  return () => run("manual");
}
