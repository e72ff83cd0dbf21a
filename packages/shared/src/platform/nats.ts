/** The one way an app connects to NATS: named, reconnecting forever with jitter, drained on shutdown. */
import { connect, type NatsConnection, type Status } from "@nats-io/transport-node";
import type { Logger } from "./log.ts";

export interface ConnectNatsOptions {
  url: string;
  /** Client name shown by `nats server report connections` and /connz. */
  name: string;
  log: Logger;
}

export async function connectNats({ url, name, log }: ConnectNatsOptions): Promise<NatsConnection> {
  const nc = await connect({
    servers: url.split(","),
    name,
    // Never give up: a NATS restart must not need an app restart. Jitter spreads a herd of reconnects.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    reconnectJitter: 250,
    // Start even if NATS comes up a moment after the app (bun run dev starts them together).
    waitOnFirstConnect: true,
    timeout: 5_000,
  });
  log.info("nats connected", { url: nc.getServer(), client: name });
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
