/** `bun run lab [--quick] [--out <dir>]`: every bad argument is one line naming it and the usage. */
export const LAB_USAGE = "usage: bun run lab [--quick] [--out <dir>]";

export interface LabArgs {
  quick: boolean;
  /** Where report.md goes (default .data/lab/<timestamp>). */
  out?: string;
  help: boolean;
}

export class LabArgsError extends Error {
  constructor(message: string) {
    super(`${message}; ${LAB_USAGE}`);
    this.name = "LabArgsError";
  }
}

export function parseLabArgs(argv: readonly string[]): LabArgs {
  const args: LabArgs = { quick: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--quick") args.quick = true;
    else if (arg === "--help" || arg === "-h") args.help = true;
    else if (arg === "--out") {
      const value = argv[++i];
      if (!value || value.startsWith("--")) throw new LabArgsError("--out needs a directory");
      args.out = value;
    } else throw new LabArgsError(`unknown argument "${arg}"`);
  }
  return args;
}

/** 2026-11-28T17-46-33Z: a timestamp that is a valid directory name everywhere. */
export function runDirName(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, "Z").replaceAll(":", "-");
}
