/**
 * `bun run dev`'s flags, parsed into options; pure (the credentials file is read through `readFile`).
 *   --cluster                      three nats-servers as one JetStream cluster, streams R3 (scripts/dev/cluster.ts)
 *   --instances <n>                n instances of api, pricer, pricing and web (1-8; default 2 with --cluster, else 1)
 *   --join <hub url> --as <name>   join a hub as a participant (or FORECOURT_HUB, FORECOURT_PARTICIPANT)
 *   --credentials <file>           the participant's password, when the URL carries none (or FORECOURT_HUB_CREDENTIALS)
 *   --port-offset <n>              add n to every port the stack uses, with its own data dir
 *   --without pricing              no local price calculator: the pricer asks over NATS (another participant's)
 *   --shape                        put a link shaper on the hub link (control address offset like every port)
 *   --observe                      also start Prometheus scraping every app and NATS (scripts/dev/prometheus.ts)
 *   --only <app,app…>              start those apps (and NATS) alone; planDev refuses unknown names
 * A wrong flag is a UsageError (exit 2); a bad value a ConfigError naming it (exit 1).
 */
import { ConfigError, type Env } from "@forecourt/shared/platform";
import { participantNameProblem } from "@forecourt/shared/contracts";

export const DEV_USAGE =
  "usage: bun run dev [--cluster] [--instances <n>] [--join <hub url> --as <name> [--credentials <file>] [--shape]] [--port-offset <n>] [--without pricing] [--observe] [--only app,app…]";
export const MAX_INSTANCES = 8;
export const DEFAULT_HUB_LEAF_PORT = 7422;
/** Apps a stack may leave out. */
export const OPTIONAL_APPS = ["pricing"] as const;

export class UsageError extends Error {
  constructor(message: string) {
    super(`${message}\n${DEV_USAGE}`);
    this.name = "UsageError";
  }
}

export interface HubJoin {
  participant: string;
  /** host:port of the hub's leaf listener. */
  hubAddress: string;
  user: string;
  password: string;
}

export interface DevOptions {
  portOffset: number;
  without: string[];
  shape: boolean;
  /** The stack's participant: the joined one, FORECOURT_PARTICIPANT, or undefined (the apps' default, local). */
  participant?: string;
  join?: HubJoin;
  /** --observe: Prometheus too. */
  observe?: boolean;
  /** --cluster: three nats-servers as one JetStream cluster instead of one server. */
  cluster?: boolean;
  /** --instances: copies of api, pricer, pricing and web (the audit log stays one); 2 with --cluster, else 1. */
  instances?: number;
  /** `--only api,pricing`: those apps alone (names checked by planDev, which knows the apps). */
  only?: string[];
}

const VALUE_FLAGS = ["join", "as", "credentials", "port-offset", "without", "instances", "only"];
const SWITCHES = ["shape", "observe", "cluster"];

/** nats-leaf://user:password@host:port, or host:port, or host (port 7422). */
export function parseHubUrl(raw: string): { address: string; user?: string; password?: string } {
  const text = raw.includes("://") ? raw : `nats-leaf://${raw}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError([`hub URL must look like nats-leaf://<name>:<password>@<host>:7422, got "${raw}"`]);
  }
  if (url.protocol !== "nats-leaf:" && url.protocol !== "nats:") throw new ConfigError([`hub URL must use nats-leaf:// (the hub's leaf-node port), got "${raw}"`]);
  if (!url.hostname || (url.pathname && url.pathname !== "/")) throw new ConfigError([`hub URL must look like nats-leaf://<name>:<password>@<host>:7422, got "${raw}"`]);
  return {
    address: `${url.hostname}:${url.port || DEFAULT_HUB_LEAF_PORT}`,
    ...(url.username ? { user: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
  };
}

function readFlags(argv: string[]): Map<string, string[]> {
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`unexpected argument "${arg}"`);
    const [, name, inline] = match as unknown as [string, string, string | undefined];
    if (SWITCHES.includes(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      flags.set(name, ["true"]);
      continue;
    }
    if (!VALUE_FLAGS.includes(name)) throw new UsageError(`unknown flag --${name}`);
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith("--"))) throw new UsageError(`--${name} needs a value`);
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return flags;
}

export function parseDevArgs(argv: string[], env: Env, readFile: (path: string) => string): DevOptions {
  const flags = readFlags(argv);
  const one = (name: string) => {
    const values = flags.get(name);
    if (values && values.length > 1) throw new UsageError(`--${name} given twice`);
    return values?.[0];
  };
  const problems: string[] = [];

  const offsetText = one("port-offset") ?? "0";
  const portOffset = Number(offsetText);
  if (!/^\d+$/.test(offsetText) || portOffset > 60_000) problems.push(`--port-offset must be a whole number 0-60000, got "${offsetText}"`);

  const cluster = flags.has("cluster");
  const instancesText = one("instances");
  const instances = instancesText === undefined ? (cluster ? 2 : 1) : Number(instancesText);
  if (instancesText !== undefined && (!/^\d+$/.test(instancesText) || instances < 1 || instances > MAX_INSTANCES))
    problems.push(`--instances must be a whole number 1-${MAX_INSTANCES}, got "${instancesText}"`);

  const without = (flags.get("without") ?? []).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
  for (const app of without) {
    if (!(OPTIONAL_APPS as readonly string[]).includes(app)) problems.push(`--without takes ${OPTIONAL_APPS.join(", ")} (the apps a stack can run without), got "${app}"`);
  }

  const only = (flags.get("only") ?? []).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);

  const participant = one("as") ?? (env.FORECOURT_PARTICIPANT || undefined);
  const nameProblem = participant === undefined ? undefined : participantNameProblem(participant);
  if (nameProblem) problems.push(`--as: ${nameProblem}`);

  const hubUrl = one("join") ?? (env.FORECOURT_HUB || undefined);
  const shape = flags.has("shape");
  let join: HubJoin | undefined;
  if (hubUrl !== undefined && cluster) problems.push("--cluster cannot join a hub: a workshop participant runs one nats-server (leave out --cluster or --join)");
  if (hubUrl !== undefined && !cluster) {
    try {
      const hub = parseHubUrl(hubUrl);
      const credentials = one("credentials") ?? (env.FORECOURT_HUB_CREDENTIALS || undefined);
      let password = hub.password;
      if (password === undefined && credentials !== undefined) {
        try {
          password = readFile(credentials).trim();
        } catch (error) {
          problems.push(`cannot read the hub credentials file "${credentials}": ${(error as Error).message}`);
        }
      }
      if (participant === undefined) problems.push("joining a hub needs a participant name: --as <name> (or FORECOURT_PARTICIPANT)");
      else if (hub.user !== undefined && hub.user !== participant) problems.push(`the hub URL logs in as "${hub.user}" but --as says "${participant}"; they must be the same name`);
      else if (!password) problems.push(`joining the hub needs ${participant}'s password: use the URL \`bun run hub add ${participant}\` printed, or --credentials <file> (FORECOURT_HUB_CREDENTIALS)`);
      else if (!nameProblem) join = { participant, hubAddress: hub.address, user: participant, password };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  } else if (hubUrl === undefined) {
    if (shape) problems.push("--shape shapes the link to a hub: use it with --join");
    if (flags.has("credentials")) problems.push("--credentials is for joining a hub: use it with --join");
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    portOffset,
    without,
    shape,
    ...(only.length ? { only } : {}),
    ...(participant !== undefined ? { participant } : {}),
    ...(join ? { join } : {}),
    ...(flags.has("observe") ? { observe: true } : {}),
    ...(cluster ? { cluster } : {}),
    ...(instances !== 1 ? { instances } : {}),
  };
}
