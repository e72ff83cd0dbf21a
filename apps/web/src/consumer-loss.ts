/**
 * A live feed's ordered consumer lives on one server (JetStream makes ordered consumers R1). When that server
 * dies, nats-server 2.9 keeps the consumer in its metadata but nobody answers for it, and the client's own
 * recovery (ask for the consumer's info, recreate it only when told "not found") waits as long as the server
 * stays down. So a feed's messages end with a ConsumerLostError when two heartbeats are missed, or when the
 * connection has just reconnected (the client then pauses heartbeat checks while it asks for that info), and
 * the owner starts a new consumer right after the last sequence it delivered, on a server that is up.
 */
import type { ConsumerMessages } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";

export class ConsumerLostError extends Error {
  constructor(reason: string, options?: ErrorOptions) {
    super(`the live consumer is lost (${reason}); start another after the last sequence delivered`, options);
    this.name = "ConsumerLostError";
  }
}

/** Registers a feed's messages to be ended with a ConsumerLostError when its consumer is lost. */
export type WatchConsumer = (messages: ConsumerMessages) => void;

export function consumerLossWatch(nc: NatsConnection): WatchConsumer {
  const live = new Set<ConsumerMessages>();
  const lose = (messages: ConsumerMessages, reason: string) => {
    if (!live.delete(messages)) return;
    messages.stop(new ConsumerLostError(reason));
  };
  void (async () => {
    for await (const status of nc.status()) if (status.type === "reconnect") for (const messages of [...live]) lose(messages, `reconnected to ${status.server}`);
  })();
  return (messages) => {
    live.add(messages);
    void messages.closed().finally(() => live.delete(messages));
    void (async () => {
      for await (const status of messages.status()) if (status.type === "heartbeats_missed") return lose(messages, `${status.count} heartbeats missed`);
    })();
  };
}
