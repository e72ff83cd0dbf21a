/** Reacting to the connection's life: an ordered consumer or KV watch does not survive a NATS restart on its own in good time. */
import type { NatsConnection } from "@nats-io/transport-node";

/**
 * Calls `listener` after every reconnect, until the returned function is called. A server that restarted lost
 * its ephemeral (ordered) consumers, and the client would notice only after missing two idle heartbeats (about
 * 30 s): whoever follows a stream that way starts again from where it was at once instead.
 */
export function onReconnect(nc: NatsConnection, listener: () => void): () => void {
  let stopped = false;
  const statuses = nc.status();
  void (async () => {
    for await (const status of statuses) {
      if (stopped) break;
      if (status.type === "reconnect") listener();
    }
  })();
  return () => {
    stopped = true;
    (statuses as { stop?: () => void }).stop?.();
  };
}
