/**
 * The JetStream consumer loop every worker builds on (the pricer, the API's prices): a durable pull consumer shared by any number of
 * instances, several messages in flight, each handled inside a CONSUMER span continuing its publisher's trace; ack after the
 * handler succeeds, nak with growing delays on a transient failure, dead-letter and term on a permanent one or the last delivery.
 * Every outcome is counted (consumer-metrics.ts), and the durable's pending counts are read from the server.
 */
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerConfig, type ConsumerUpdateConfig, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff.ts";
import { publishDeadLetter } from "./dead-letter.ts";
import { startDurablePull } from "./durable-pull.ts";
import type { Logger } from "./log.ts";
import { consumerMetrics, pollConsumerInfo } from "./consumer-metrics.ts";
import { isAlreadyExists, isConsumerNotFound, isPermissionDenied } from "./nats-errors.ts";
import type { Dependency } from "./readiness.ts";
import { extractContext, inSpan, messagingAttributes, recordFailure, SpanKind, type Span } from "./spans.ts";
import { differingSettings, SetupRequiredError, type EnsureOptions } from "./streams.ts";

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
  /**
   * The consumer's ack wait. Short, so the messages of an instance that died come back within seconds; a handler
   * that runs longer keeps its message with in-progress acks (see workingIntervalMs).
   */
  ackWaitMs: number;
  /** Messages handled at once by one instance: a slow or failing message never holds up the rest. */
  concurrency: number;
  backoff: BackoffPolicy;
}

export const DEFAULT_CONSUMER_SETTINGS: ConsumerSettings = { maxDeliver: 10, ackWaitMs: 5_000, concurrency: 32, backoff: DEFAULT_BACKOFF };

/** How often a running handler tells JetStream it is still working on its message: well inside the ack wait. */
export function workingIntervalMs(ackWaitMs: number): number {
  return Math.max(100, Math.floor(ackWaitMs * 0.4));
}

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
  /** For readiness: the durable is there and pulled from; repaired (re-created, pulled again) when it went missing. */
  dependency: Dependency;
  /** Stops fetching, waits for the messages in flight, resolves when the loop has ended. */
  stop(): Promise<void>;
}

export type DurableConsumerConfig = Partial<ConsumerConfig> & { durable_name: string };

/**
 * The settings an existing durable takes from a newer deployment; the rest (start, ack policy) stay as created. The
 * filter follows too: a durable made before subjects carried their origin would otherwise be refused by nats-server
 * (its old filter is no longer within the stream's subjects).
 */
const TUNABLE = ["description", "filter_subject", "max_deliver", "ack_wait", "max_ack_pending"] as const;

/**
 * Creates the durable pull consumer if it is missing, or brings its tunable settings up to date if they differ;
 * safe to race from many instances. Under nats.conf only admin (scripts/setup) may do either: an app's user just
 * binds, and is refused only when the durable is missing (SetupRequiredError) or outdated (told to onOutdated).
 */
export async function ensureDurableConsumer(jsm: JetStreamManager, stream: string, config: DurableConsumerConfig, options: EnsureOptions = {}): Promise<void> {
  const name = config.durable_name;
  let existing;
  try {
    existing = await jsm.consumers.info(stream, name);
  } catch (error) {
    if (!isConsumerNotFound(error)) throw error;
    try {
      await jsm.consumers.add(stream, config);
      return;
    } catch (addError) {
      if (isPermissionDenied(addError)) throw new SetupRequiredError(`durable consumer ${name} on ${stream} does not exist`, { cause: addError });
      if (!isAlreadyExists(addError)) throw addError;
      existing = await jsm.consumers.info(stream, name);
    }
  }
  const update: Partial<ConsumerUpdateConfig> = Object.fromEntries(TUNABLE.filter((key) => config[key] !== undefined).map((key) => [key, config[key]]));
  const differing = differingSettings(update, existing.config);
  if (!differing.length) return;
  try {
    await jsm.consumers.update(stream, name, update);
  } catch (error) {
    if (!isPermissionDenied(error)) throw error;
    options.onOutdated?.(name, differing);
  }
}

/** What a durable consumer of the shared loop is: declared once (contracts' `durables`), so scripts/setup creates exactly what the loop binds to. */
export interface DurableDeclaration {
  stream: string;
  durable: string;
  filterSubject: string;
  description: string;
}

/**
 * Deliveries the server allows beyond `maxDeliver`: a message whose last attempt failed is dead-lettered on that
 * delivery, and if DEADLETTER itself cannot be written the message comes back for another try instead of being
 * abandoned by the server.
 */
export const DEAD_LETTER_SPARE_DELIVERIES = 5;

/** The server-side configuration of a shared-loop durable with these settings. */
export function durableConsumerConfig(declaration: DurableDeclaration, settings: ConsumerSettings): DurableConsumerConfig {
  return {
    durable_name: declaration.durable,
    description: declaration.description,
    filter_subject: declaration.filterSubject,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    max_deliver: settings.maxDeliver + DEAD_LETTER_SPARE_DELIVERIES,
    ack_wait: settings.ackWaitMs * 1_000_000,
    // Room for every instance's in-flight messages plus the ones waiting out a nak delay.
    max_ack_pending: Math.max(1_000, settings.concurrency * 8),
  };
}

/** Logs, once per start, that the server holds older settings than this deployment and only admin may change them. */
export const warnOutdated = (log: Logger): EnsureOptions => ({
  onOutdated: (name, settings) => log.warn("settings differ on the server; only admin may update them (bun run dev does at start)", { name, settings }),
});

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export async function startDurableConsumer(options: DurableConsumerOptions): Promise<RunningConsumer> {
  const { nc, stream, durable, settings, log } = options;
  const js = jetstream(nc);
  const config = durableConsumerConfig({ stream, durable, filterSubject: options.filterSubject, description: options.description }, settings);
  const heartbeatMs = workingIntervalMs(settings.ackWaitMs);
  const counters: ConsumerCounters = { processed: 0, retried: 0, deadLettered: 0, inFlight: 0 };
  const metrics = consumerMetrics(stream, durable);
  const jsm = await jetstreamManager(nc);
  const info = pollConsumerInfo(jsm, stream, durable, log);
  const isPermanent = (error: unknown) => error instanceof PermanentError || (options.isPermanent?.(error) ?? false);

  const handleOne = async (m: JsMsg, span: Span) => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const fields = () => ({ subject: m.subject, streamSequence: m.info.streamSequence, deliveries: m.info.deliveryCount, durationMs: Math.round(performance.now() - started) });
    // While the handler runs, JetStream hears "still working" well within the ack wait; if this process dies the
    // beats stop and the message goes to another instance one ack wait later.
    const beat = setInterval(() => m.working(), heartbeatMs);
    try {
      await options.handle(m);
      m.ack();
      counters.processed++;
      metrics.handled("processed", seconds());
    } catch (error) {
      const reason = describe(error);
      const permanent = isPermanent(error);
      recordFailure(span, error, reason);
      if (!permanent && m.info.deliveryCount < settings.maxDeliver) {
        const delayMs = backoffDelay(m.info.deliveryCount, settings.backoff);
        m.nak(delayMs);
        counters.retried++;
        metrics.handled("retried", seconds());
        log.warn("message retry scheduled", { ...fields(), reason, delayMs });
        return;
      }
      try {
        // Term only once DEADLETTER has confirmed the copy, or the message would be lost.
        await publishDeadLetter(js, m, reason);
        m.term();
        counters.deadLettered++;
        metrics.handled("dead_lettered", seconds());
        log.warn("message dead-lettered", { ...fields(), reason, permanent });
      } catch (dlqError) {
        // DEADLETTER unreachable: the spare deliveries bring the message back to try again rather than drop it.
        m.nak(backoffDelay(m.info.deliveryCount, settings.backoff));
        metrics.handled("failed", seconds());
        log.error("dead-letter failed", { ...fields(), reason, error: dlqError });
      }
    } finally {
      clearInterval(beat);
    }
  };

  const inFlight = new Set<Promise<void>>();
  const pull = await startDurablePull({
    nc,
    stream,
    durable,
    log,
    // Pulled ahead about as many as are handled at once: a message waiting in this buffer gets no in-progress acks.
    maxMessages: Math.max(8, settings.concurrency),
    prepare: () => ensureDurableConsumer(jsm, stream, config, warnOutdated(log)),
    async onMessage(m) {
      while (inFlight.size >= settings.concurrency) await Promise.race(inFlight);
      const span = {
        kind: SpanKind.CONSUMER,
        parent: extractContext(m.headers),
        attributes: messagingAttributes("process", m.subject, { "messaging.consumer.group.name": durable, "messaging.nats.stream_sequence": m.info.streamSequence, "messaging.nats.deliveries": m.info.deliveryCount }),
      };
      const task: Promise<void> = inSpan(`process ${durable}`, span, (s) => handleOne(m, s)).finally(() => {
        inFlight.delete(task);
        counters.inFlight = inFlight.size;
        metrics.inFlight(inFlight.size);
      });
      inFlight.add(task);
      counters.inFlight = inFlight.size;
      metrics.inFlight(inFlight.size);
    },
  });

  log.info("consumer started", { stream, consumer: durable, filterSubject: options.filterSubject, ...settings });
  return {
    counters,
    dependency: pull.dependency,
    async stop() {
      await pull.stop();
      await Promise.allSettled(inFlight);
      info.stop();
    },
  };
}
