/** `bun run bench` arguments: pure, so every bad value gets its one-line message in a test. */

export interface BenchSettings {
  quick: boolean;
  /** Seconds of each closed-loop throughput run (wrk, h2load, the KV loop). */
  throughputSeconds: number;
  /** Seconds of POSTing at each rate of the sweep. */
  pipelineSeconds: number;
  rates: number[];
  /** The end-to-end targets are set at this rate. */
  targetRate: number;
  drainTimeoutMs: number;
  /** wrk connections for reads; creates use `createConcurrency` (the KV loop's creates in flight). */
  readConnections: number;
  createConcurrency: number;
  grpcClients: number;
  grpcStreams: number;
  /** Each throughput pair (baseline, project) runs this many times, interleaved; the best of each is kept. */
  rounds: number;
  /** Every Bun process of the stack writes a CPU profile (`--cpu-prof`) into the run's folder. */
  profile: boolean;
  /** Where the report goes; .data/bench/<timestamp> when absent. */
  out?: string;
}

export const USAGE = "usage: bun run bench [--quick] [--rates 100,250,…] [--duration <s per rate>] [--throughput-seconds <s>] [--rounds <n>] [--profile] [--out <dir>]";

const FULL: BenchSettings = {
  quick: false,
  throughputSeconds: 5,
  pipelineSeconds: 30,
  rates: [100, 250, 500, 1000, 1500],
  targetRate: 1000,
  drainTimeoutMs: 120_000,
  readConnections: 32,
  createConcurrency: 16,
  grpcClients: 2,
  grpcStreams: 16,
  rounds: 2,
  profile: false,
};

/** A smoke run for CI: every stage once, briefly (under a minute in all). */
const QUICK: Partial<BenchSettings> = { quick: true, throughputSeconds: 1, pipelineSeconds: 2, rates: [100, 250], drainTimeoutMs: 20_000, rounds: 1 };

export class BenchArgsError extends Error {
  constructor(message: string) {
    super(`${message}\n${USAGE}`);
    this.name = "BenchArgsError";
  }
}

function positive(flag: string, value: string | undefined, max: number): number {
  const n = Number(value);
  if (value === undefined || value === "" || !Number.isFinite(n) || n <= 0 || n > max) throw new BenchArgsError(`${flag} takes a number above 0 and at most ${max}, got ${value === undefined ? "nothing" : `"${value}"`}`);
  return n;
}

export function parseBenchArgs(argv: readonly string[]): BenchSettings {
  const settings: BenchSettings = { ...FULL, ...(argv.includes("--quick") ? QUICK : {}) };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "--quick":
        break;
      case "--profile":
        settings.profile = true;
        break;
      case "--out": {
        const dir = value();
        if (!dir) throw new BenchArgsError("--out takes a directory");
        settings.out = dir;
        break;
      }
      case "--rounds":
        settings.rounds = Math.round(positive(flag, value(), 20));
        break;
      case "--duration":
        settings.pipelineSeconds = positive(flag, value(), 600);
        break;
      case "--throughput-seconds":
        settings.throughputSeconds = Math.round(positive(flag, value(), 600));
        break;
      case "--rates": {
        const text = value();
        if (!text) throw new BenchArgsError("--rates takes comma-separated cars per second, e.g. 100,500");
        settings.rates = text.split(",").map((r) => positive("--rates", r.trim(), 20_000));
        break;
      }
      default:
        throw new BenchArgsError(`unknown argument "${arg}"`);
    }
  }
  return settings;
}
