/**
 * The one app shape: `start<App>({ nc, log, config, … })` starts everything an app runs on a NATS connection it
 * is given and returns a `RunningApp`; main.ts only wires config → log → NATS → start<App> → onShutdown, and
 * drains NATS after `stop`. Tests start the same function in-process, or main.ts as a process.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "./log.ts";
import type { ShutdownStep } from "./shutdown.ts";

export interface AppDeps<Config> {
  nc: NatsConnection;
  log: Logger;
  config: Config;
}

export interface RunningApp {
  /** Stops intake first, then background work; leaves the NATS connection to the caller. */
  stop(): Promise<void>;
}

/** Runs every step in order even when one fails (so one stuck part never keeps the rest running), then reports the failures. */
export function stopInOrder(steps: ShutdownStep[]): () => Promise<void> {
  return async () => {
    const failures: unknown[] = [];
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length) throw new AggregateError(failures, `${failures.length} stop steps failed`);
  };
}
