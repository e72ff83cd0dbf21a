/**
 * The durable consumer 'audit-log', kept in step with the file: the file is the source of truth for where
 * to resume. Lines are appended in stream order, a batch at a time, made durable, and only then acked.
 * Strictly sequential, so it does not run on the shared concurrent loop; it shares its consumer setup
 * (ensureDurableConsumer), its pull that survives a deleted durable (startDurablePull), typed JetStream errors,
 * consumer metrics and CONSUMER spans with it.
 */
import { AckPolicy, DeliverPolicy, jetstreamManager, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { CONSUMERS, STREAMS, SUBJECTS } from "@forecourt/shared/contracts";
import {
  consumerMetrics,
  ensureDurableConsumer,
  extractContext,
  isConsumerNotFound,
  messagingAttributes,
  pollConsumerInfo,
  SpanKind,
  startDurablePull,
  startSpan,
  traceIdOf,
  withContext,
  type Context,
  type DurableConsumerConfig,
  type Logger,
  type Span,
} from "@forecourt/shared/platform";
import type { AuditFile } from "./audit-file.ts";
import { auditLine, formatAuditLine } from "./audit-line.ts";

export interface AuditCounters {
  recorded: number;
  /** Redeliveries of events already in the file (a crash between the write and the ack). */
  skipped: number;
  lastSequence: number;
  /** Times the consumer was realigned with the file after it skipped ahead (messages held back by JetStream). */
  realigned: number;
}

const STREAM = STREAMS.vehicles.name;
const DURABLE = CONSUMERS.auditLog;

/**
 * A crashed instance leaves messages delivered but unacked; JetStream would hand them back only after the
 * ack wait, behind newer ones, and the file would get them out of order. So unless the consumer's ack floor
 * is exactly the file's last line with nothing pending, it is recreated to start right after that line.
 * This is why there must be one audit-log instance per file.
 */
async function alignConsumer(nc: NatsConnection, lastSequence: number, log: Logger): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const existing = await jsm.consumers.info(STREAM, DURABLE).catch((error: unknown) => {
    if (isConsumerNotFound(error)) return undefined;
    throw error;
  });
  if (!existing || (existing.num_ack_pending === 0 && existing.ack_floor.stream_seq === lastSequence)) return;
  await jsm.consumers.delete(STREAM, DURABLE);
  log.info("consumer realigned with the audit file", { ackFloor: existing.ack_floor.stream_seq, ackPending: existing.num_ack_pending, lastSequence });
}

/** Where a new durable starts: right after the file's last line. An existing, aligned one keeps its position. */
function consumerConfig(lastSequence: number): DurableConsumerConfig {
  return {
    durable_name: DURABLE,
    description: "Appends every vehicle event to the audit file",
    filter_subject: SUBJECTS.vehicles,
    ack_policy: AckPolicy.Explicit,
    ...(lastSequence > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: lastSequence + 1 } : { deliver_policy: DeliverPolicy.All }),
    ack_wait: 60_000_000_000,
    max_ack_pending: 10_000,
  };
}

/**
 * A sequence above the next one expected: either JetStream holds the missing messages back (delivered to a
 * connection that died, waiting out the ack wait: writing on would leave a hole the redelivery cannot fill,
 * as it would arrive below the file's last line), or the stream no longer has them (deleted by an operator).
 * Only the second may be passed over.
 */
async function missingFromStream(jsm: JetStreamManager, from: number, to: number): Promise<boolean> {
  for (let seq = from; seq <= to; seq++) {
    if (await jsm.streams.getMessage(STREAM, { seq })) return false;
  }
  return true;
}

export async function startAuditConsumer(deps: { nc: NatsConnection; file: AuditFile; log: Logger; onFatal: (error: unknown) => void }) {
  const { nc, file, log } = deps;
  const jsm = await jetstreamManager(nc);
  const counters: AuditCounters = { recorded: 0, skipped: 0, lastSequence: file.lastSequence, realigned: 0 };
  const metrics = consumerMetrics(STREAM, DURABLE);
  const info = pollConsumerInfo(jsm, STREAM, DURABLE, log);
  const queue: JsMsg[] = [];
  let wake: (() => void) | undefined;
  let stopping = false;
  const pull = await startDurablePull({
    nc,
    stream: STREAM,
    durable: DURABLE,
    log,
    maxMessages: 512,
    prepare: async () => {
      // Whatever the previous pull left unwritten is delivered again by the realigned consumer.
      queue.length = 0;
      await alignConsumer(nc, file.lastSequence, log);
      await ensureDurableConsumer(jsm, STREAM, consumerConfig(file.lastSequence));
    },
    onMessage(m) {
      queue.push(m);
      wake?.();
    },
  });

  // Whatever arrived while the last batch was being synced is the next batch: one fdatasync for many events.
  const writer = (async () => {
    while (!stopping || queue.length) {
      if (!queue.length) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      const batch = queue.splice(0);
      const started = performance.now();
      metrics.inFlight(batch.length);
      let text = "";
      let last = file.lastSequence;
      const recorded: { m: JsMsg; span: Span; ctx: Context }[] = [];
      const done: JsMsg[] = [];
      let held: number | undefined;
      for (const m of batch) {
        const seq = m.info.streamSequence;
        if (seq <= last) {
          counters.skipped++;
          done.push(m);
          continue;
        }
        if (seq > last + 1 && !(await missingFromStream(jsm, last + 1, seq - 1))) {
          held = seq;
          break;
        }
        const published = extractContext(m.headers);
        text += formatAuditLine(auditLine({ seq, subject: m.subject, data: m.data, traceId: traceIdOf(published), publishedAt: new Date(m.info.timestampNanos / 1e6) }, new Date()));
        last = seq;
        // Each event's CONSUMER span in its publisher's trace, from its turn in the batch until the batch is on disk and acked.
        const attributes = messagingAttributes("process", m.subject, { "messaging.consumer.group.name": DURABLE, "messaging.nats.stream_sequence": seq });
        recorded.push({ m, ...startSpan(`process ${DURABLE}`, { kind: SpanKind.CONSUMER, parent: published, attributes }) });
        done.push(m);
      }
      try {
        if (text) await file.append(text, last);
      } catch (error) {
        // Nothing of this batch is acked; a restart realigns the consumer with what did reach the disk.
        for (const { span } of recorded) span.end();
        deps.onFatal(error);
        return;
      }
      for (const m of done) m.ack();
      counters.recorded += recorded.length;
      counters.lastSequence = last;
      const seconds = (performance.now() - started) / 1000;
      for (let i = 0; i < done.length; i++) metrics.handled("processed", seconds);
      metrics.inFlight(0);
      for (const { m, span, ctx } of recorded) {
        withContext(ctx, () => log.info("event audited", { seq: m.info.streamSequence, subject: m.subject }));
        span.end();
      }
      if (held !== undefined) {
        counters.realigned++;
        log.warn("audit consumer skipped ahead; realigning", { lastSequence: last, received: held });
        await pull.ensure().catch((error) => log.error("audit consumer realignment failed", { error }));
      }
    }
  })();
  log.info("consumer started", { stream: STREAM, consumer: DURABLE, filterSubject: SUBJECTS.vehicles, resumeAfter: file.lastSequence });
  return {
    counters,
    dependency: pull.dependency,
    async stop() {
      info.stop();
      await pull.stop();
      stopping = true;
      wake?.();
      await writer;
    },
  };
}
