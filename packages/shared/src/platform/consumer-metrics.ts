/**
 * The metrics of every JetStream consumer, the same families whichever loop runs it: what became of each
 * message and how long its handler took, how many are in flight here, and how far behind the durable is as
 * the server sees it (pending, ack pending), read from its consumer info every few seconds.
 */
import type { JetStreamManager } from "@nats-io/jetstream";
import type { Logger } from "./log.ts";
import { counter, gauge, histogram } from "./metrics.ts";

export type MessageOutcome = "processed" | "retried" | "dead_lettered" | "failed";

const LABELS = ["stream", "consumer"] as const;

function families() {
  return {
    processed: counter({ name: "forecourt_consumer_processed_total", help: "Messages handled and acked", labelNames: LABELS }),
    retried: counter({ name: "forecourt_consumer_retried_total", help: "Messages nak'ed for a later delivery after a transient failure", labelNames: LABELS }),
    deadLettered: counter({ name: "forecourt_consumer_dead_lettered_total", help: "Messages copied to DEADLETTER and terminated", labelNames: LABELS }),
    inFlight: gauge({ name: "forecourt_consumer_in_flight", help: "Messages this instance is handling now", labelNames: LABELS }),
    duration: histogram({ name: "forecourt_consumer_handler_duration_seconds", help: "Time to handle one message, by what became of it", labelNames: [...LABELS, "outcome"] }),
    pending: gauge({ name: "forecourt_consumer_pending", help: "Messages in the stream the durable has not delivered yet (server view, num_pending)", labelNames: LABELS }),
    ackPending: gauge({ name: "forecourt_consumer_ack_pending", help: "Messages delivered and not yet acked by any instance (server view, num_ack_pending)", labelNames: LABELS }),
  };
}

export interface ConsumerMetrics {
  /** Records one message's outcome and its handler's time. */
  handled(outcome: MessageOutcome, seconds: number): void;
  inFlight(count: number): void;
}

export function consumerMetrics(stream: string, consumer: string): ConsumerMetrics {
  const f = families();
  const labels = { stream, consumer };
  const totals: Partial<Record<MessageOutcome, { inc(): void }>> = {
    processed: f.processed.labels(labels),
    retried: f.retried.labels(labels),
    dead_lettered: f.deadLettered.labels(labels),
  };
  const durations = { processed: f.duration.labels({ ...labels, outcome: "processed" }), retried: f.duration.labels({ ...labels, outcome: "retried" }), dead_lettered: f.duration.labels({ ...labels, outcome: "dead_lettered" }), failed: f.duration.labels({ ...labels, outcome: "failed" }) };
  const inFlight = f.inFlight.labels(labels);
  return {
    handled(outcome, seconds) {
      totals[outcome]?.inc();
      durations[outcome].observe(seconds);
    },
    inFlight: (count) => inFlight.set(count),
  };
}

export const CONSUMER_INFO_INTERVAL_MS = 5_000;

/** Reads the durable's pending and ack-pending counts now and every `intervalMs`, until stopped. */
export function pollConsumerInfo(jsm: JetStreamManager, stream: string, consumer: string, log: Logger, intervalMs = CONSUMER_INFO_INTERVAL_MS): { stop(): void } {
  const f = families();
  const pending = f.pending.labels({ stream, consumer });
  const ackPending = f.ackPending.labels({ stream, consumer });
  let failing = false;
  const read = async () => {
    try {
      const info = await jsm.consumers.info(stream, consumer);
      pending.set(info.num_pending);
      ackPending.set(info.num_ack_pending);
      failing = false;
    } catch (error) {
      // Logged once per outage: the gauges keep their last value, and NATS's own status lines say why.
      if (!failing) log.warn("consumer info unavailable", { stream, consumer, error });
      failing = true;
    }
  };
  void read();
  const timer = setInterval(() => void read(), intervalMs);
  return { stop: () => clearInterval(timer) };
}
