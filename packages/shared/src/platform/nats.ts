/** The one way an app connects to NATS: named, with its credentials, reconnecting forever with jitter, drained on shutdown. */
import { readFileSync } from "node:fs";
import { AuthorizationError, connect, credsAuthenticator, type ConnectionOptions, type NatsConnection, type Status } from "@nats-io/transport-node";
import type { NatsAuth } from "./config.ts";
import type { Logger } from "./log.ts";

export interface ConnectNatsOptions {
  url: string;
  /** Client name shown by `nats server report connections` and /connz. */
  name: string;
  log: Logger;
  /** NATS_USER/NATS_PASSWORD or NATS_CREDS as read by readPlatformConfig; none: connect without credentials. */
  auth?: NatsAuth;
}

/** Client options for credentials: user and password as they are, a .creds file read once at start. */
export function natsAuthOptions(auth: NatsAuth | undefined): Pick<ConnectionOptions, "user" | "pass" | "authenticator"> {
  if (!auth) return {};
  if ("user" in auth) return { user: auth.user, pass: auth.password };
  let creds: Uint8Array;
  try {
    creds = readFileSync(auth.credsFile);
  } catch (error) {
    throw new Error(`NATS_CREDS names ${auth.credsFile}, which cannot be read: ${(error as Error).message}`, { cause: error });
  }
  return { authenticator: credsAuthenticator(creds) };
}

/** Who the connection claims to be, for logs: never the password. */
export function natsIdentity(auth: NatsAuth | undefined): string {
  if (!auth) return "anonymous";
  return "user" in auth ? auth.user : `creds ${auth.credsFile}`;
}

/** NATS refused the credentials: a configuration problem no retry can fix. */
export class NatsCredentialsRefusedError extends Error {
  constructor(identity: string, url: string, options?: ErrorOptions) {
    super(`NATS at ${url} refused the credentials of ${identity}: check NATS_USER and NATS_PASSWORD (or NATS_CREDS)`, options);
    this.name = "NatsCredentialsRefusedError";
  }
}

/**
 * Connects, waiting for a server that is not up yet (bun run dev starts them together) but not for one that
 * refuses the credentials: the client would retry those forever, so the first refusal ends the wait.
 * By default a refusal is logged as one line and the process exits 1, like a bad variable at start.
 */
export async function connectNats({ url, name, log, auth, exitOnRefusal = true }: ConnectNatsOptions & { exitOnRefusal?: boolean }): Promise<NatsConnection> {
  const options: ConnectionOptions = {
    servers: url.split(","),
    name,
    ...natsAuthOptions(auth),
    // Never give up once connected: a NATS restart must not need an app restart. Jitter spreads a herd of reconnects.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    reconnectJitter: 250,
    timeout: 5_000,
  };
  let nc: NatsConnection | undefined;
  for (let attempt = 1; !nc; attempt++) {
    try {
      nc = await connect(options);
    } catch (error) {
      if (error instanceof AuthorizationError) {
        const refused = new NatsCredentialsRefusedError(natsIdentity(auth), url, { cause: error });
        if (!exitOnRefusal) throw refused;
        log.error("nats refused the credentials", { url, as: natsIdentity(auth), error: refused });
        process.exit(1);
      }
      if (attempt === 1) log.warn("nats not reachable yet; retrying", { url, error });
      await Bun.sleep(500 + Math.random() * 250);
    }
  }
  log.info("nats connected", { url: nc.getServer(), client: name, as: natsIdentity(auth) });
  void (async () => {
    for await (const status of nc.status()) {
      const entry = statusLogEntry(status);
      if (entry) log[entry.level]("nats status", entry.fields);
    }
  })();
  return nc;
}

/** How a connection status event is logged; undefined for the routine ones (pings, cluster updates). */
export function statusLogEntry(status: Status): { level: "debug" | "info" | "warn"; fields: Record<string, unknown> } | undefined {
  switch (status.type) {
    case "ping":
    case "update":
      return undefined;
    case "reconnect":
      return { level: "info", fields: { status: status.type, server: status.server } };
    case "disconnect":
      return { level: "warn", fields: { status: status.type, server: status.server } };
    case "error":
      return { level: "warn", fields: { status: status.type, error: status.error } };
    case "slowConsumer":
      return { level: "warn", fields: { status: status.type, subject: status.sub.getSubject(), pending: status.pending } };
    case "staleConnection":
      return { level: "warn", fields: { status: status.type } };
    default:
      return { level: "debug", fields: { status: status.type } };
  }
}

/** True when a round trip to the server completes within the timeout: the honest meaning of "connected". */
export async function isNatsReachable(nc: NatsConnection, timeoutMs = 1_000): Promise<boolean> {
  if (nc.isClosed() || nc.isDraining()) return false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      nc.flush().then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
