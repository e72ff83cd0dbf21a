/**
 * The durable consumer 'audit-log', kept in step with the file: the file is the source of truth for where
 * to resume. Lines are appended in stream order, a batch at a time, made durable, and only then acked.
 * Strictly sequential, so it does not run on the shared concurrent loop; it shares its consumer setup
 * (ensureDurableConsumer), its pull that survives a deleted durable (startDurablePull), typed JetStream errors,
 * consumer metrics and CONSUMER spans with it.
 *
 * The durable is never recreated to realign it (only NATS user admin may create or delete consumers). Events the
 * consumer delivered but the file lacks (a crashed instance's unacked batch, or a batch delivered to a connection
 * that died: JetStream hands those back only after the ack wait, behind newer ones; or a file that fell behind) are
 * read from the stream by sequence instead: at start up to what the consumer last delivered, and while running
 * whenever a delivery skips ahead of the file's next sequence. A redelivery at or below the file's last line is
 * acked and skipped. So the file has neither gaps nor duplicates whatever the consumer's state, and never waits
 * out an ack wait. This is why there must be one instance per file.
 */
import { AckPolicy, DeliverPolicy, jetstreamManager, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { durables, STREAMS, SUBJECTS } from "@forecourt/shared/contracts";
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
  warnOutdated,
  withContext,
  type Context,
  type DurableConsumerConfig,
  type Logger,
  type Span,
} from "@forecourt/shared/platform";
import type { AuditFile } from "./audit-file.ts";
import { auditLine, formatAuditLine, type AuditSource } from "./audit-line.ts";

export interface AuditCounters {
  recorded: number;
  /** Redeliveries of events already in the file (a crash between the write and the ack). */
  skipped: number;
  /** Events read from the stream because the consumer had delivered them elsewhere (or the file fell behind). */
  filled: number;
  lastSequence: number;
}

const STREAM = STREAMS.vehicles.name;
/** The audit log records every participant's events: its durable does not depend on who this stack is. */
const DECLARED = durables("").auditLog;
const DURABLE = DECLARED.durable;
const FILTER_PREFIX = SUBJECTS.vehicles.slice(0, -1);

/** The durable's configuration: where a durable created by this app (no setup ran) starts is right after the file's last line. */
export function consumerConfig(lastSequence: number): DurableConsumerConfig {
  return {
    durable_name: DURABLE,
    description: DECLARED.description,
    filter_subject: DECLARED.filterSubject,
    ack_policy: AckPolicy.Explicit,
    ...(lastSequence > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: lastSequence + 1 } : { deliver_policy: DeliverPolicy.All }),
    ack_wait: 60_000_000_000,
    max_ack_pending: 10_000,
  };
}

/** The events after `after` and before `before`, read by sequence; sequences the stream no longer has (deleted) stay gaps. */
async function readRange(jsm: JetStreamManager, after: number, before: number): Promise<AuditSource[]> {
  const sources: AuditSource[] = [];
  for (let seq = after + 1; seq < before; seq++) {
    const m = await jsm.streams.getMessage(STREAM, { seq });
    if (!m || !m.subject.startsWith(FILTER_PREFIX)) continue;
    sources.push({ seq, subject: m.subject, data: m.data, traceId: traceIdOf(extractContext(m.header)), publishedAt: m.time });
  }
  return sources;
}

const lines = (sources: AuditSource[]) => sources.map((source) => formatAuditLine(auditLine(source, new Date()))).join("");

/** Writes what the durable delivered beyond the file's last line; how many events. */
async function catchUp(jsm: JetStreamManager, file: AuditFile, log: Logger): Promise<number> {
  const info = await jsm.consumers.info(STREAM, DURABLE).catch((error: unknown) => {
    if (isConsumerNotFound(error)) return undefined;
    throw error;
  });
  const delivered = info?.delivered.stream_seq ?? 0;
  if (delivered <= file.lastSequence) return 0;
  const after = file.lastSequence;
  const missing = await readRange(jsm, after, delivered + 1);
  if (missing.length) await file.append(lines(missing), missing.at(-1)!.seq);
  log.info("caught up with the consumer", { after, delivered, events: missing.length });
  return missing.length;
}

export async function startAuditConsumer(deps: { nc: NatsConnection; file: AuditFile; log: Logger; onFatal: (error: unknown) => void }) {
  const { nc, file, log } = deps;
  const jsm = await jetstreamManager(nc);
  const counters: AuditCounters = { recorded: 0, skipped: 0, filled: 0, lastSequence: file.lastSequence };
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
      // Whatever the previous pull left unwritten comes back as a redelivery, or is read from the stream now.
      queue.length = 0;
      const caughtUp = await catchUp(jsm, file, log);
      counters.recorded += caughtUp;
      counters.filled += caughtUp;
      counters.lastSequence = file.lastSequence;
      await ensureDurableConsumer(jsm, STREAM, consumerConfig(file.lastSequence), warnOutdated(log));
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
      let filled = 0;
      const recorded: { m: JsMsg; span: Span; ctx: Context }[] = [];
      try {
        for (const m of batch) {
          const seq = m.info.streamSequence;
          if (seq <= last) {
            counters.skipped++;
            continue;
          }
          if (seq > last + 1) {
            const gap = await readRange(jsm, last, seq);
            if (gap.length) log.info("gap filled from the stream", { after: last, before: seq, events: gap.length });
            text += lines(gap);
            filled += gap.length;
          }
          const published = extractContext(m.headers);
          text += formatAuditLine(auditLine({ seq, subject: m.subject, data: m.data, traceId: traceIdOf(published), publishedAt: new Date(m.info.timestampNanos / 1e6) }, new Date()));
          last = seq;
          // Each event's CONSUMER span in its publisher's trace, from its turn in the batch until the batch is on disk and acked.
          const attributes = messagingAttributes("process", m.subject, { "messaging.consumer.group.name": DURABLE, "messaging.nats.stream_sequence": seq });
          recorded.push({ m, ...startSpan(`process ${DURABLE}`, { kind: SpanKind.CONSUMER, parent: published, attributes }) });
        }
      } catch (error) {
        // The stream could not be read to fill a gap: nothing of this batch is acked, so it all comes back.
        for (const { span } of recorded) span.end();
        metrics.inFlight(0);
        log.warn("gap not filled yet; the batch will be redelivered", { error });
        continue;
      }
      try {
        if (text) await file.append(text, last);
      } catch (error) {
        // Nothing of this batch is acked; a restart catches up with what did reach the disk.
        for (const { span } of recorded) span.end();
        deps.onFatal(error);
        return;
      }
      for (const m of batch) m.ack();
      counters.recorded += recorded.length + filled;
      counters.filled += filled;
      counters.lastSequence = last;
      const seconds = (performance.now() - started) / 1000;
      for (let i = 0; i < batch.length; i++) metrics.handled("processed", seconds);
      metrics.inFlight(0);
      for (const { m, span, ctx } of recorded) {
        withContext(ctx, () => log.info("event audited", { seq: m.info.streamSequence, subject: m.subject }));
        span.end();
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
