/**
 * What `bun run dev` adds for workshop mode, around the plain stack: the nats-server config (own store; joined: own
 * domain and a leaf remote), the optional link shaper on the hub link, and once the apps run, the sources sync and
 * the hub link's state for the ready summary ("hub: connected" / "hub: disconnected") and its changes.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { startLinkShaper, type LinkShaper } from "@forecourt/link-shaper";
import { createLogger, NATS_ACCOUNT, natsAuthOptions, type Logger, type NatsAuth } from "@forecourt/shared/platform";
import { readHubStatus } from "../../apps/web/src/hub-link.ts";
import type { HubStatus } from "../../apps/web/src/protocol.ts";
import type { DevPlan } from "./apps.ts";
import type { HubJoin } from "./workshop-args.ts";
import { renderStackConfig } from "./workshop-config.ts";
import { startSourcesSync, type SourcesSync } from "./workshop-sources.ts";

/**
 * nats-server 2.9 refuses -sd beside a configured store_dir, so a stack with its own store (or credentials) gets its
 * own nats.conf, including the users' auth file; the hub link binds the account those users live in.
 */
export function writeStackConfig(root: string, storeDir: string, authFile: string, hub?: HubJoin, leafAddress?: string): string {
  const dir = resolve(root, storeDir);
  mkdirSync(dir, { recursive: true });
  const text = renderStackConfig({
    base: readFileSync(join(root, "nats.conf"), "utf8"),
    storeDir: dir,
    include: relative(dir, authFile),
    ...(hub ? { join: { participant: hub.participant, leafAddress: leafAddress ?? hub.hubAddress, user: hub.user, password: hub.password, localAccount: NATS_ACCOUNT } } : {}),
  });
  // It holds the hub password: readable by its owner only.
  const path = join(dir, "nats.conf");
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}

/** The shaper between this stack's leaf remote and the hub: the remote points at it, it forwards to the hub. */
export async function startHubShaper(hub: HubJoin, plan: DevPlan, log: Logger): Promise<LinkShaper> {
  return startLinkShaper({
    listen: { host: "127.0.0.1", port: plan.link.port },
    to: hub.hubAddress,
    control: { host: "127.0.0.1", port: plan.link.controlPort },
    log,
  });
}

export function hubLine(status: HubStatus | "unknown", hub: HubJoin): string {
  if (status === "connected") return `hub: connected (participant ${hub.participant}, hub ${hub.hubAddress})`;
  return `hub: disconnected (participant ${hub.participant}, hub ${hub.hubAddress}); the stack works locally and joins when the hub answers`;
}

export interface RunningParticipant {
  /** The summary line, after waiting a little for the link to come up. */
  summary(): Promise<string>;
  stop(): Promise<void>;
}

/** After the apps are ready: VEHICLES sources the other participants, and changes of the hub link are told. */
export async function startParticipant(options: { plan: DevPlan; hub: HubJoin; say: (line: string) => void; logLevel?: "info" | "warn"; auth?: NatsAuth }): Promise<RunningParticipant> {
  const { plan, hub, say } = options;
  const log = createLogger({ service: "workshop", level: options.logLevel ?? "warn" });
  const monitorUrl = `http://127.0.0.1:${plan.monitorPort}`;
  const read = () => readHubStatus(monitorUrl).catch(() => "unknown" as const);
  // As admin: keeping VEHICLES' sources is a stream update.
  const nc: NatsConnection = await connect({ servers: plan.natsUrl.split(","), name: "forecourt-dev-workshop", maxReconnectAttempts: -1, reconnectTimeWait: 500, ...natsAuthOptions(options.auth) });
  const sync: SourcesSync = await startSourcesSync({ nc, participant: hub.participant, log });
  let last: HubStatus | "unknown" = await read();
  const timer = setInterval(async () => {
    const now = await read();
    if (now === last || now === "unknown") return;
    last = now;
    say(hubLine(now, hub));
  }, 2_000);
  return {
    async summary() {
      // A reachable hub links within a second or two; do not hold the summary longer than that.
      for (let i = 0; i < 25 && last !== "connected"; i++) {
        await Bun.sleep(200);
        last = await read();
      }
      return hubLine(last, hub);
    },
    async stop() {
      clearInterval(timer);
      sync.stop();
      await nc.close();
    },
  };
}
