/** `bun run rebuild vehicles`: parsed into what to rebuild, or one usage line. */
export const REBUILD_TARGETS = ["vehicles"] as const;
export type RebuildTarget = (typeof REBUILD_TARGETS)[number];

export const USAGE = "usage: bun run rebuild vehicles   (replays the VEHICLES stream into the vehicles bucket)";

export class UsageError extends Error {
  constructor(message: string) {
    super(`${message} (${USAGE})`);
    this.name = "UsageError";
  }
}

export function parseRebuildArgs(argv: string[]): { target: RebuildTarget } {
  const [target, ...rest] = argv;
  if (target === undefined) throw new UsageError("name what to rebuild");
  if (!(REBUILD_TARGETS as readonly string[]).includes(target)) throw new UsageError(`cannot rebuild "${target}"; only ${REBUILD_TARGETS.join(", ")}`);
  if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
  return { target: target as RebuildTarget };
}
