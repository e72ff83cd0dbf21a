/**
 * `bun run link proxy|set|cut|hold|restore|status`, parsed into a command. A wrong command or flag is a UsageError
 * (exit 2); a bad value is a SettingsError naming it and its accepted form (exit 1).
 */
import {
  changeFor,
  parseAddress,
  parseBandwidth,
  parseDirection,
  parseDuration,
  type Address,
  type DirectionChoice,
  type DirectionSettings,
  type Outage,
  type SettingsChange,
} from "@forecourt/link-shaper";

export const DEFAULT_CONTROL = "127.0.0.1:7501";

export const USAGE = [
  "usage: bun run link proxy --listen <addr> --to <addr> [--control <addr>|off] [--latency 150ms] [--jitter 30ms] [--bandwidth 256kbit] [--direction up|down|both]",
  "       bun run link set [--latency 150ms] [--jitter 30ms] [--bandwidth 256kbit|off] [--direction up|down|both] [--control <addr>]",
  "       bun run link cut|hold|restore [--control <addr>]",
  "       bun run link status [--json] [--control <addr>]",
].join("\n");

export class UsageError extends Error {
  constructor(message: string) {
    super(`${message} (see: bun run link help)`);
    this.name = "UsageError";
  }
}

export type LinkCommand =
  | { kind: "help" }
  | { kind: "proxy"; listen: Address; to: Address; control: Address | null; settings: SettingsChange }
  | { kind: "set"; control: Address; direction: DirectionChoice; values: Partial<DirectionSettings> }
  | { kind: "outage"; control: Address; outage: Outage }
  | { kind: "status"; control: Address; json: boolean };

const SHAPING_FLAGS = ["latency", "jitter", "bandwidth", "direction"];
const FLAGS: Record<string, { values: string[]; switches: string[] }> = {
  proxy: { values: ["listen", "to", "control", ...SHAPING_FLAGS], switches: [] },
  set: { values: ["control", ...SHAPING_FLAGS], switches: [] },
  cut: { values: ["control"], switches: [] },
  hold: { values: ["control"], switches: [] },
  restore: { values: ["control"], switches: [] },
  status: { values: ["control"], switches: ["json"] },
};
const OUTAGE_COMMANDS: Record<string, Outage> = { cut: "cut", hold: "hold", restore: "none" };

/** `env` is LINK_CONTROL: where the control API is when --control is not given. */
export function parseLinkArgs(argv: string[], env: { LINK_CONTROL?: string } = {}): LinkCommand {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError("no command: use proxy, set, cut, hold, restore or status");
  if (command === "help" || command === "--help" || command === "-h") return { kind: "help" };
  const allowed = FLAGS[command];
  if (!allowed) throw new UsageError(`unknown command "${command}": use proxy, set, cut, hold, restore or status`);
  const flags = readFlags(command, rest, allowed);

  const controlText = flags.get("control") ?? env.LINK_CONTROL ?? DEFAULT_CONTROL;
  const controlWhat = flags.has("control") ? "--control" : env.LINK_CONTROL !== undefined ? "LINK_CONTROL" : "control";
  const control = () => parseAddress(controlText, controlWhat);

  if (command === "proxy") {
    const listen = flags.get("listen");
    const to = flags.get("to");
    if (listen === undefined || to === undefined) throw new UsageError("proxy needs --listen <addr> and --to <addr>");
    const shaping = shapingValues(flags);
    return {
      kind: "proxy",
      listen: parseAddress(listen, "--listen"),
      to: parseAddress(to, "--to"),
      control: controlText === "off" ? null : control(),
      settings: Object.keys(shaping.values).length ? changeFor(shaping.direction, shaping.values) : {},
    };
  }
  if (command === "set") {
    const shaping = shapingValues(flags);
    if (Object.keys(shaping.values).length === 0) throw new UsageError("set needs at least one of --latency, --jitter, --bandwidth");
    return { kind: "set", control: control(), ...shaping };
  }
  if (command === "status") return { kind: "status", control: control(), json: flags.has("json") };
  return { kind: "outage", control: control(), outage: OUTAGE_COMMANDS[command]! };
}

function readFlags(command: string, args: string[], allowed: { values: string[]; switches: string[] }): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`unexpected argument "${arg}" for ${command}`);
    const [, name, inline] = match as unknown as [string, string, string | undefined];
    if (allowed.switches.includes(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      flags.set(name, "");
      continue;
    }
    if (!allowed.values.includes(name)) throw new UsageError(`${command} does not take --${name}`);
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith("--"))) throw new UsageError(`--${name} needs a value`);
    if (flags.has(name)) throw new UsageError(`--${name} given twice`);
    flags.set(name, value);
  }
  return flags;
}

function shapingValues(flags: Map<string, string>): { direction: DirectionChoice; values: Partial<DirectionSettings> } {
  const values: Partial<DirectionSettings> = {};
  const latency = flags.get("latency");
  const jitter = flags.get("jitter");
  const bandwidth = flags.get("bandwidth");
  const direction = flags.get("direction");
  if (latency !== undefined) values.latencyMs = parseDuration(latency, "--latency");
  if (jitter !== undefined) values.jitterMs = parseDuration(jitter, "--jitter");
  if (bandwidth !== undefined) values.bandwidthBps = parseBandwidth(bandwidth, "--bandwidth");
  return { direction: direction === undefined ? "both" : parseDirection(direction, "--direction"), values };
}
