/**
 * The JetStream consumer loop every worker builds on (the pricer, the API's prices): a durable pull consumer shared by any number of
 * instances, several messages in flight, each handled inside its trace; ack after the handler succeeds,
 * nak with growing delays on a transient failure, dead-letter and term on a permanent one or the last delivery.
 */
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerConfig, type ConsumerMessages, type ConsumerUpdateConfig, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff.ts";
import { publishDeadLetter } from "./dead-letter.ts";
import type { Logger } from "./log.ts";
import { isAlreadyExists, isConsumerNotFound } from "./nats-errors.ts";
import { traceFromHeaders } from "./nats.ts";
import { withTrace } from "./trace.ts";

/** Retrying cannot help (a body that breaks the contract, an unknown model): dead-letter at once. */
export class PermanentError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PermanentError";
  }
}

export interface ConsumerSettings {
  /** Deliveries before a failing message is dead-lettered (the consumer's max_deliver adds DEAD_LETTER_SPARE_DELIVERIES). */
  maxDeliver: number;
  ackWaitMs: number;
  /** Messages handled at once by one instance: a slow or failing message never holds up the rest. */
  concurrency: number;
  backoff: BackoffPolicy;
}

export const DEFAULT_CONSUMER_SETTINGS: ConsumerSettings = { maxDeliver: 10, ackWaitMs: 30_000, concurrency: 32, backoff: DEFAULT_BACKOFF };

export interface DurableConsumerOptions {
  nc: NatsConnection;
  stream: string;
  durable: string;
  filterSubject: string;
  description: string;
  settings: ConsumerSettings;
  log: Logger;
  /** Handles one message; resolves when its effects are durable (the loop acks then). Throw to retry or dead-letter. */
  handle: (m: JsMsg) => Promise<void>;
  /** Errors that retrying cannot fix; PermanentError always counts. */
  isPermanent?: (error: unknown) => boolean;
}

export interface ConsumerCounters {
  processed: number;
  retried: number;
  deadLettered: number;
  inFlight: number;
}

export interface RunningConsumer {
  counters: ConsumerCounters;
  /** Stops fetching, waits for the messages in flight, resolves when the loop has ended. */
  stop(): Promise<void>;
}

export type DurableConsumerConfig = Partial<ConsumerConfig> & { durable_name: string };

/** The settings an existing durable takes from a newer deployment; the rest (filter, start) stay as created. */
const TUNABLE = ["description", "max_deliver", "ack_wait", "max_ack_pending"] as const;

/** Creates the durable pull consumer, or brings its tunable settings up to date; safe to race from many instances. */
export async function ensureDurableConsumer(jsm: JetStreamManager, stream: string, config: DurableConsumerConfig): Promise<void> {
  const name = config.durable_name;
  try {
    await jsm.consumers.info(stream, name);
  } catch (error) {
    if (!isConsumerNotFound(error)) throw error;
    try {
      await jsm.consumers.add(stream, config);
      return;
    } catch (addError) {
      if (!isAlreadyExists(addError)) throw addError;
    }
  }
  const update: Partial<ConsumerUpdateConfig> = Object.fromEntries(TUNABLE.filter((key) => config[key] !== undefined).map((key) => [key, config[key]]));
  await jsm.consumers.update(stream, name, update);
}

/**
 * How long one pull waits at the server. The client expects a heartbeat every half of it and, after two missed,
 * asks for the consumer again and pulls anew. That is what recovers a pull when the consumer's leader changes (a
 * server dies and another replica takes over, knowing nothing of the pulls waiting at the dead one): with the
 * client's default of 30 s a consumer stood still for about that long; with 5 s it resumes within seconds, for
 * one empty pull every 5 s when idle.
 */
export const PULL_EXPIRES_MS = 5_000;

/** Ensures the durable, then pulls from it: up to `maxMessages` delivered ahead of the handler. */
export async function consumeDurable(nc: NatsConnection, stream: string, config: DurableConsumerConfig, maxMessages: number): Promise<ConsumerMessages> {
  await ensureDurableConsumer(await jetstreamManager(nc), stream, config);
  const consumer = await jetstream(nc).consumers.get(stream, config.durable_name);
  return consumer.consume({ max_messages: maxMessages, expires: PULL_EXPIRES_MS });
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Deliveries the server allows beyond `maxDeliver`: a message whose last attempt failed is dead-lettered on that
 * delivery, and if DEADLETTER itself cannot be written the message comes back for another try instead of being
 * abandoned by the server.
 */
export const DEAD_LETTER_SPARE_DELIVERIES = 5;

export async function startDurableConsumer(options: DurableConsumerOptions): Promise<RunningConsumer> {
  const { nc, stream, durable, settings, log } = options;
  const js = jetstream(nc);
  const messages = await consumeDurable(
    nc,
    stream,
    {
      durable_name: durable,
      description: options.description,
      filter_subject: options.filterSubject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      max_deliver: settings.maxDeliver + DEAD_LETTER_SPARE_DELIVERIES,
      ack_wait: settings.ackWaitMs * 1_000_000,
      // Room for every instance's in-flight messages plus the ones waiting out a nak delay.
      max_ack_pending: Math.max(1_000, settings.concurrency * 8),
    },
    Math.max(32, settings.concurrency * 2),
  );
  const counters: ConsumerCounters = { processed: 0, retried: 0, deadLettered: 0, inFlight: 0 };
  const isPermanent = (error: unknown) => error instanceof PermanentError || (options.isPermanent?.(error) ?? false);

  const handleOne = async (m: JsMsg) => {
    const started = performance.now();
    const fields = () => ({ subject: m.subject, streamSequence: m.info.streamSequence, deliveries: m.info.deliveryCount, durationMs: Math.round(performance.now() - started) });
    try {
      await options.handle(m);
      m.ack();
      counters.processed++;
    } catch (error) {
      const reason = describe(error);
      const permanent = isPermanent(error);
      if (!permanent && m.info.deliveryCount < settings.maxDeliver) {
        const delayMs = backoffDelay(m.info.deliveryCount, settings.backoff);
        m.nak(delayMs);
        counters.retried++;
        log.warn("message retry scheduled", { ...fields(), reason, delayMs });
        return;
      }
      try {
        // Term only once DEADLETTER has confirmed the copy, or the message would be lost.
        await publishDeadLetter(js, m, reason);
        m.term();
        counters.deadLettered++;
        log.warn("message dead-lettered", { ...fields(), reason, permanent });
      } catch (dlqError) {
        // DEADLETTER unreachable: the spare deliveries bring the message back to try again rather than drop it.
        m.nak(backoffDelay(m.info.deliveryCount, settings.backoff));
        log.error("dead-letter failed", { ...fields(), reason, error: dlqError });
      }
    }
  };

  const inFlight = new Set<Promise<void>>();
  const loop = (async () => {
    for await (const m of messages) {
      while (inFlight.size >= settings.concurrency) await Promise.race(inFlight);
      const task: Promise<void> = withTrace(traceFromHeaders(m.headers), () => handleOne(m)).finally(() => {
        inFlight.delete(task);
        counters.inFlight = inFlight.size;
      });
      inFlight.add(task);
      counters.inFlight = inFlight.size;
    }
    await Promise.allSettled(inFlight);
  })();

  log.info("consumer started", { stream, consumer: durable, filterSubject: options.filterSubject, ...settings });
  return {
    counters,
    async stop() {
      messages.stop();
      await loop;
    },
  };
}
