/**
 * `bun run chaos [--cluster] [--quick] [--rate N] [--duration S] [--seed N] [--keep]`: parsed into run options, or one
 * usage line. `--cluster` runs issue 14's failover programme on a three-server cluster instead of random faults on one
 * server; its length is the programme's, so it takes no `--duration`.
 */
export const USAGE = "usage: bun run chaos [--cluster] [--quick] [--rate <cars/s>] [--duration <seconds>] [--seed <n>] [--keep]";

export interface ChaosOptions {
  rate: number;
  durationMs: number;
  seed: number;
  quick: boolean;
  /** The cluster failover programme (plan.ts clusterProgramme) rather than random faults on one server. */
  cluster: boolean;
  /** Keep the run's folder (audit file, logs) even when the run passed. */
  keep: boolean;
  natsRestarts: number;
  natsKills: number;
  appFaultEveryMs: number;
  /** Time left to an instance (or after a NATS outage) before it is hit again. */
  recoveryMs: number;
  /** How long to wait, after the load, for every car to be priced and audited. */
  settleMs: number;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(`${message} (${USAGE})`);
    this.name = "UsageError";
  }
}

const FULL = { durationMs: 120_000, natsRestarts: 2, natsKills: 2, appFaultEveryMs: 4_000, recoveryMs: 8_000, settleMs: 150_000 };
/** Under 90 s in all on a 2-core machine: one NATS restart and one NATS kill, app kills every few seconds. */
const QUICK = { durationMs: 40_000, natsRestarts: 1, natsKills: 1, appFaultEveryMs: 2_500, recoveryMs: 4_000, settleMs: 30_000 };
/** Issue 14: steady load of 200 cars/s; --quick 50. A car in flight when its consumer's leader died waits out an ack wait. */
const CLUSTER_RATE = { full: 200, quick: 50 };
const CLUSTER_SETTLE_MS = { full: 150_000, quick: 60_000 };

function number(flag: string, raw: string | undefined, min: number, max: number, integer = false): number {
  const value = Number(raw);
  if (raw === undefined || raw === "" || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new UsageError(`${flag} needs ${integer ? "a whole number" : "a number"} from ${min} to ${max}, got ${raw === undefined ? "nothing" : `"${raw}"`}`);
  }
  return value;
}

export function parseChaosArgs(argv: string[], randomSeed: () => number = () => Math.floor(Math.random() * 1_000_000)): ChaosOptions {
  const flags = new Map<string, string | undefined>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--quick" || arg === "--keep" || arg === "--cluster") flags.set(arg, "");
    else if (["--rate", "--duration", "--seed"].includes(arg)) flags.set(arg, argv[++i]);
    else throw new UsageError(`unknown argument "${arg}"`);
  }
  const quick = flags.has("--quick");
  const cluster = flags.has("--cluster");
  if (cluster && flags.has("--duration")) throw new UsageError("--cluster runs a fixed programme: leave out --duration");
  const profile = quick ? QUICK : FULL;
  const size = quick ? "quick" : "full";
  return {
    ...profile,
    ...(cluster ? { settleMs: CLUSTER_SETTLE_MS[size] } : {}),
    quick,
    cluster,
    keep: flags.has("--keep"),
    rate: flags.has("--rate") ? number("--rate", flags.get("--rate"), 1, 2_000) : cluster ? CLUSTER_RATE[size] : 150,
    durationMs: flags.has("--duration") ? number("--duration", flags.get("--duration"), 10, 3_600) * 1_000 : profile.durationMs,
    seed: flags.has("--seed") ? number("--seed", flags.get("--seed"), 0, 2 ** 31 - 1, true) : randomSeed(),
  };
}
