/**
 * Pulling from a durable consumer that may vanish under us (its stream or the consumer deleted by an operator):
 * the 3.x client reports that on the iterator's status and then waits; `ensure()` puts the durable back (the
 * caller's `prepare`) and pulls again at once. Readiness calls it when its probe finds the consumer missing.
 */
import { jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { isConsumerNotFound, isStreamNotFound } from "./nats-errors.ts";
import type { Logger } from "./log.ts";
import type { Dependency } from "./readiness.ts";

export interface DurablePullOptions {
  nc: NatsConnection;
  stream: string;
  durable: string;
  log: Logger;
  /** Pulled ahead of the handler. */
  maxMessages: number;
  /** Creates or realigns the durable; run before the first pull and before every restart. */
  prepare: () => Promise<void>;
  /** Each message in delivery order; the pull waits while it runs. */
  onMessage: (m: JsMsg) => Promise<void> | void;
}

export interface DurablePull {
  /** True once the server said the durable or its stream is gone, until `ensure()` brought it back. */
  readonly lost: boolean;
  /** Puts the durable back (prepare) and starts pulling again from it. */
  ensure(): Promise<void>;
  /** Stops pulling; resolves once the current pull loop has ended. */
  stop(): Promise<void>;
  /** For readiness: missing when lost or when the server does not know the durable; repaired by ensure(). */
  dependency: Dependency;
}

/**
 * How long one pull waits at the server. The client expects a heartbeat every half of it and, after two missed,
 * asks for the consumer again and pulls anew. That is what recovers a pull when the consumer's leader changes (a
 * server dies and another replica takes over, knowing nothing of the pulls waiting at the dead one): with the
 * client's default of 30 s a consumer stood still for about that long; with 5 s it resumes within seconds, for
 * one empty pull every 5 s when idle.
 */
export const PULL_EXPIRES_MS = 5_000;

const LOST = new Set(["consumer_deleted", "consumer_not_found", "stream_not_found"]);

export async function startDurablePull(options: DurablePullOptions): Promise<DurablePull> {
  const { nc, stream, durable, log } = options;
  const js = jetstream(nc);
  let current: { messages: ConsumerMessages; loop: Promise<void> } | undefined;
  let lost = false;
  let stopped = false;
  let restarting: Promise<void> = Promise.resolve();

  const start = async () => {
    await options.prepare();
    const consumer = await js.consumers.get(stream, durable);
    const messages = await consumer.consume({ max_messages: options.maxMessages, expires: PULL_EXPIRES_MS });
    lost = false;
    void (async () => {
      for await (const status of messages.status()) {
        if (!LOST.has(status.type) || lost) continue;
        lost = true;
        log.warn("consumer lost", { stream, consumer: durable, status: status.type });
      }
    })().catch(() => {});
    const loop = (async () => {
      for await (const m of messages) await options.onMessage(m);
    })().catch((error) => log.error("consumer pull failed", { stream, consumer: durable, error }));
    current = { messages, loop };
  };

  const restart = async () => {
    if (stopped) return;
    const previous = current;
    current = undefined;
    previous?.messages.stop();
    await previous?.loop;
    try {
      await start();
    } catch (error) {
      // Not pulling now, whatever the server says of the durable: the next probe must try again.
      lost = true;
      throw error;
    }
    log.info("consumer resumed", { stream, consumer: durable });
  };

  const ensure = (): Promise<void> => {
    restarting = restarting.catch(() => {}).then(restart);
    return restarting;
  };

  await start();
  const jsm = await jetstreamManager(nc);
  return {
    get lost() {
      return lost;
    },
    ensure,
    async stop() {
      stopped = true;
      current?.messages.stop();
      await current?.loop;
    },
    dependency: {
      name: `consumer ${durable}`,
      async probe() {
        if (lost) return `durable consumer ${durable} was deleted from stream ${stream}`;
        try {
          await jsm.consumers.info(stream, durable);
          return undefined;
        } catch (error) {
          if (isConsumerNotFound(error)) return `durable consumer ${durable} is missing from stream ${stream}`;
          if (isStreamNotFound(error)) return `stream ${stream} (home of consumer ${durable}) is missing`;
          throw error;
        }
      },
      repair: ensure,
    },
  };
}
