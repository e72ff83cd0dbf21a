/** `bun run dealers add <name> | list [--json] | revoke <name>`: parsed into a command or one usage line. */
import { dealerNameReason } from "../../apps/api/src/dealers/dealer-keys.ts";

export type DealersCommand = { kind: "add"; name: string } | { kind: "list"; json: boolean } | { kind: "revoke"; name: string };

export const USAGE = "usage: bun run dealers add <name> | list [--json] | revoke <name>";

export class UsageError extends Error {
  constructor(message: string) {
    super(`${message} (${USAGE})`);
    this.name = "UsageError";
  }
}

export function parseDealersArgs(argv: string[]): DealersCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === "list") {
    const unknown = rest.filter((arg) => arg !== "--json");
    if (unknown.length) throw new UsageError(`unexpected argument "${unknown[0]}" for list`);
    return { kind: "list", json: rest.includes("--json") };
  }
  if (command !== "add" && command !== "revoke") throw new UsageError(`unknown command "${command}"`);
  if (rest.length !== 1) throw new UsageError(`${command} takes one dealer name`);
  const reason = dealerNameReason(rest[0]!);
  if (reason) throw new UsageError(reason);
  return { kind: command, name: rest[0]! };
}
