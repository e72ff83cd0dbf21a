/** `bun run dlq list [--json] | redrive <id>... | redrive --all`: parsed into a command or one usage line. */
export type DlqCommand = { kind: "list"; json: boolean } | { kind: "redrive"; ids: number[] } | { kind: "redrive-all" };

export const USAGE = "usage: bun run dlq list [--json] | redrive <id>... | redrive --all";

export class UsageError extends Error {
  constructor(message: string) {
    super(`${message} (${USAGE})`);
    this.name = "UsageError";
  }
}

export function parseDlqArgs(argv: string[]): DlqCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === "list") {
    const unknown = rest.filter((arg) => arg !== "--json");
    if (unknown.length) throw new UsageError(`unexpected argument "${unknown[0]}" for list`);
    return { kind: "list", json: rest.includes("--json") };
  }
  // `bun run dlq --all` is short for `redrive --all`.
  const args = command === "--all" ? [command, ...rest] : rest;
  if (command !== "redrive" && command !== "--all") throw new UsageError(`unknown command "${command}"`);
  if (args[0] === "--all") {
    if (args.length > 1) throw new UsageError(`unexpected argument "${args[1]}" after --all`);
    return { kind: "redrive-all" };
  }
  if (args.length === 0) throw new UsageError("redrive needs a dead-letter id (see `bun run dlq list`) or --all");
  const ids = args.map((arg) => {
    if (!/^[1-9]\d*$/.test(arg)) throw new UsageError(`"${arg}" is not a dead-letter id (a positive whole number)`);
    return Number(arg);
  });
  return { kind: "redrive", ids: [...new Set(ids)] };
}
