/** `bun run hub`'s settings from the environment, and the join command it prints: pure, unit-tested. */
import type { NetworkInterfaceInfo } from "node:os";
import { EnvReader, type Env } from "@forecourt/shared/platform";

export interface HubSettings {
  /** Interface of the leaf-node listener and the status page (HOST); 0.0.0.0 to let other machines in. */
  host: string;
  leafPort: number;
  /** The status page. */
  port: number;
  /** The hub nats-server's client port (admin only, loopback). */
  natsPort: number;
  /** Its HTTP monitoring (loopback). */
  monitorPort: number;
  dataDir: string;
  /** The address participants reach the hub at, as printed in join commands. */
  publicHost: string;
}

const ANY = new Set(["0.0.0.0", "::", "[::]"]);

/** A listener on every interface is reached at the machine's first external IPv4 address. */
export function publicHostFor(host: string, interfaces: Record<string, NetworkInterfaceInfo[] | undefined>): string {
  if (!ANY.has(host)) return host;
  for (const addresses of Object.values(interfaces)) {
    const external = addresses?.find((a) => a.family === "IPv4" && !a.internal);
    if (external) return external.address;
  }
  return "127.0.0.1";
}

export function loadHubSettings(env: Env, interfaces: Record<string, NetworkInterfaceInfo[] | undefined>): HubSettings {
  const reader = new EnvReader(env);
  const host = reader.string("HOST", "127.0.0.1");
  const settings = {
    host,
    leafPort: reader.port("HUB_LEAF_PORT", 7422),
    port: reader.port("HUB_PORT", 3010),
    natsPort: reader.port("HUB_NATS_PORT", 7421),
    monitorPort: reader.port("HUB_MONITOR_PORT", 7420),
    dataDir: reader.string("HUB_DATA_DIR", ".data/hub"),
    publicHost: reader.string("HUB_PUBLIC_HOST", publicHostFor(host, interfaces)),
  };
  reader.done();
  return settings;
}

const hostPort = (host: string, port: number) => `${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${port}`;

/** What `hub add` prints: the one command to join, and the same with the password kept in a file. */
export function joinInstructions(settings: Pick<HubSettings, "publicHost" | "leafPort">, name: string, password: string, credentialsPath: string): string[] {
  const address = hostPort(settings.publicHost, settings.leafPort);
  return [
    `bun run dev --join nats-leaf://${name}:${password}@${address} --as ${name}`,
    `FORECOURT_HUB=nats-leaf://${address} FORECOURT_PARTICIPANT=${name} FORECOURT_HUB_CREDENTIALS=<copy of ${credentialsPath}> bun run dev`,
  ];
}
