/** `bun run dev [--cluster] [--instances N]`: parsed once; a wrong flag or value is one line and exit 2. */

export interface DevArgs {
  /** Three nats-servers as one JetStream cluster instead of one server. */
  cluster: boolean;
  /** Instances of api, pricer, pricing and web (audit-log stays one): 2 in cluster mode, else 1. */
  instances: number;
}

export const DEV_USAGE = "usage: bun run dev [--cluster] [--instances N]   (N: 1-8 instances of api, pricer, pricing and web; default 2 with --cluster, else 1)";

export const MAX_INSTANCES = 8;

export class DevUsageError extends Error {
  constructor(message: string) {
    super(`${message}; ${DEV_USAGE}`);
    this.name = "DevUsageError";
  }
}

export function parseDevArgs(argv: string[]): DevArgs {
  let cluster = false;
  let instances: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.split("=", 2) as [string, string | undefined];
    if (flag === "--cluster" && inline === undefined) {
      cluster = true;
    } else if (flag === "--instances") {
      const raw = inline ?? argv[++i];
      const n = Number(raw);
      if (raw === undefined || !/^\d+$/.test(raw) || n < 1 || n > MAX_INSTANCES) throw new DevUsageError(`--instances must be an integer 1-${MAX_INSTANCES}, got ${raw === undefined ? "nothing" : `"${raw}"`}`);
      instances = n;
    } else {
      throw new DevUsageError(`unknown argument "${arg}"`);
    }
  }
  return { cluster, instances: instances ?? (cluster ? 2 : 1) };
}
