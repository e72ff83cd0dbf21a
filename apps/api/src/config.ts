import { EnvReader, readPlatformConfig, type Env, type PlatformConfig } from "@forecourt/shared/platform";
import { DEFAULT_WRITE_RATE, type WriteRate } from "./dealers/write-rate-limit.ts";
import { SNAPSHOT_INTERVAL_MS } from "./vehicles/index-snapshot-file.ts";
import type { CrashPoint } from "./vehicles/outbox.ts";

export interface ApiConfig extends PlatformConfig {
  port: number;
  /** How many deterministic demo vehicles to list when the vehicles bucket has never held one. */
  demoVehicles: number;
  /** Each dealer's write rate (API_WRITES_PER_SECOND, API_WRITE_BURST), per instance. */
  writeRate: WriteRate;
  /** Where this instance keeps its list index between runs (API_SNAPSHOT_PATH); unset: none, every start reads the whole bucket. */
  snapshotPath?: string;
  /** How often the snapshot is written while the index changes (API_SNAPSHOT_INTERVAL_MS). */
  snapshotIntervalMs: number;
  /** Test-only: die (SIGKILL) at this point of a write, to prove the outbox. */
  crashAfter?: CrashPoint;
}

const CRASH_POINTS: CrashPoint[] = ["vehicle-write", "event-publish"];

export function loadConfig(env: Env): ApiConfig {
  const reader = new EnvReader(env);
  const crashAfter = env.API_CRASH_AFTER || undefined;
  if (crashAfter && !CRASH_POINTS.includes(crashAfter as CrashPoint))
    reader.problems.push(`API_CRASH_AFTER must be one of ${CRASH_POINTS.join(", ")}, got "${crashAfter}"`);
  const config = {
    ...readPlatformConfig(reader),
    port: reader.port("API_PORT", 3000),
    demoVehicles: reader.int("DEMO_VEHICLES", 200, 0, 1_000_000),
    writeRate: {
      perSecond: reader.int("API_WRITES_PER_SECOND", DEFAULT_WRITE_RATE.perSecond, 0, 100_000),
      burst: reader.int("API_WRITE_BURST", DEFAULT_WRITE_RATE.burst, 1, 1_000_000),
    },
    snapshotPath: env.API_SNAPSHOT_PATH || undefined,
    snapshotIntervalMs: reader.int("API_SNAPSHOT_INTERVAL_MS", SNAPSHOT_INTERVAL_MS, 1_000, 86_400_000),
    crashAfter: crashAfter as CrashPoint | undefined,
  };
  reader.done();
  return config;
}

/** The crash hook API_CRASH_AFTER asks for: SIGKILL, so nothing (no finally, no drain) runs after it. */
export function crashHook(point: CrashPoint | undefined): ((at: CrashPoint) => void) | undefined {
  if (!point) return undefined;
  return (at) => {
    if (at === point) process.kill(process.pid, "SIGKILL");
  };
}
