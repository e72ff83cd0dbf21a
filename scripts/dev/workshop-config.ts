/**
 * The nats-server configuration of one participant's stack: nats.conf with the stack's own store, and when it joins a
 * hub, its server name and JetStream domain (both the participant's name, so each keeps its own streams, KV and
 * consumers) and a leaf-node remote to the hub. Pure text in, text out: unit-tested.
 */
import { vehicleFilter } from "@forecourt/shared/contracts";

export interface StackJoin {
  participant: string;
  /** The hub's leaf address as this stack reaches it (the link shaper's, with --shape): host:port. */
  leafAddress: string;
  user: string;
  password: string;
  /** The local account the leaf link binds (default: the server's global account). */
  localAccount?: string;
}

export interface StackConfigInput {
  /** nats.conf's text. */
  base: string;
  storeDir: string;
  /**
   * The NATS users' auth file (bun run dev's credentials), relative to where this config is written: nats-server 2.9
   * reads an include relative to the including file, even an absolute path. Without one the config has no users and
   * takes anonymous clients: only for tests that check something else.
   */
  include?: string;
  join?: StackJoin;
}

const q = (value: string) => JSON.stringify(value);

export function leafRemoteUrl(join: Pick<StackJoin, "leafAddress" | "user" | "password">): string {
  return `nats-leaf://${encodeURIComponent(join.user)}:${encodeURIComponent(join.password)}@${join.leafAddress}`;
}

export function renderStackConfig({ base, storeDir, include, join }: StackConfigInput): string {
  if (!/^\s*store_dir:.*$/m.test(base)) throw new Error("nats.conf has no jetstream store_dir line to replace");
  let conf = base.replace(/^(\s*)store_dir:.*$/m, (_, indent: string) => `${indent}store_dir: ${q(storeDir)}`);
  conf = conf.replace(/^include .*\n/m, include ? `include ${q(include)}\n` : "");
  if (!join) return conf;
  if (!/^server_name:.*$/m.test(conf) || !/^jetstream\s*\{/m.test(conf)) throw new Error("nats.conf needs a server_name line and a jetstream { block");
  conf = conf.replace(/^server_name:.*$/m, `server_name: ${q(join.participant)}`);
  conf = conf.replace(/^jetstream\s*\{/m, (block) => `${block}\n  # The participant's own JetStream domain: the hub reaches this stack's streams as $JS.${join.participant}.API.\n  domain: ${q(join.participant)}`);
  const account = join.localAccount ? `, account: ${q(join.localAccount)}` : "";
  // Never take our own origin from the hub: only we publish it, so anything arriving is forged. nats-server 2.9's
  // hub does not check a leaf's inbound messages against its permissions (2.11.16 does), so a hand-written leaf
  // could push one our way, and VEHICLES would store it as ours.
  const ownOrigin = vehicleFilter({ origin: join.participant });
  return `${conf.trimEnd()}

# Workshop: this stack is participant ${q(join.participant)}, a leaf node of the hub (written by \`bun run dev --join\`).
leafnodes {
  remotes: [ { url: ${q(leafRemoteUrl(join))}${account}, deny_imports: [${q(ownOrigin)}] } ]
}
`;
}
