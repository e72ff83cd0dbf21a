/**
 * The durable consumer 'audit-log', kept in step with the file: the file is the source of truth for where
 * to resume. Lines are appended in stream order, a batch at a time, made durable, and only then acked.
 * Strictly sequential, so it does not run on the shared concurrent loop; it shares its consumer setup
 * (consumeDurable), typed JetStream errors and trace reading with it.
 *
 * The durable is never recreated (only NATS user admin may create or delete consumers). At start, events the
 * consumer already delivered but the file lacks (a crashed instance's unacked batch, which would come back only
 * after the ack wait, behind newer ones; or a file that is behind the consumer) are read from the stream by
 * sequence and written first; from then on the consumer delivers right after the file's last line, and a
 * redelivery at or below it is acked and skipped. So the file has neither gaps nor duplicates whatever the
 * consumer's state, and resumes without waiting for redeliveries. This is why there must be one instance per file.
 */
import { AckPolicy, DeliverPolicy, jetstreamManager, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { DURABLES, STREAMS, SUBJECTS } from "@forecourt/shared/contracts";
import { consumeDurable, isConsumerNotFound, messageTrace, warnOutdated, withTrace, type DurableConsumerConfig, type Logger, type TraceContext } from "@forecourt/shared/platform";
import type { AuditFile } from "./audit-file.ts";
import { auditLine, formatAuditLine, type AuditSource } from "./audit-line.ts";

export interface AuditCounters {
  recorded: number;
  /** Redeliveries of events already in the file (a crash between the write and the ack). */
  skipped: number;
  /** Events read from the stream at start, delivered before but missing from the file. */
  filled: number;
  lastSequence: number;
}

const STREAM = STREAMS.vehicles.name;
const DURABLE = DURABLES.auditLog.durable;
const FILTER_PREFIX = SUBJECTS.vehicles.slice(0, -1);

/** The durable's configuration: where a durable created by this app (no setup ran) starts is right after the file's last line. */
export function consumerConfig(lastSequence: number): DurableConsumerConfig {
  return {
    durable_name: DURABLE,
    description: DURABLES.auditLog.description,
    filter_subject: DURABLES.auditLog.filterSubject,
    ack_policy: AckPolicy.Explicit,
    ...(lastSequence > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: lastSequence + 1 } : { deliver_policy: DeliverPolicy.All }),
    ack_wait: 60_000_000_000,
    max_ack_pending: 10_000,
  };
}

/** The events between the file's last line and `before`, read by sequence; gaps in the stream (deleted messages) stay gaps. */
async function readGap(jsm: JetStreamManager, after: number, before: number): Promise<AuditSource[]> {
  const sources: AuditSource[] = [];
  for (let seq = after + 1; seq < before; seq++) {
    const m = await jsm.streams.getMessage(STREAM, { seq });
    if (!m || !m.subject.startsWith(FILTER_PREFIX)) continue;
    sources.push({ seq, subject: m.subject, data: m.data, traceId: messageTrace(m.header)?.traceId, publishedAt: m.time });
  }
  return sources;
}

/** Writes what the durable delivered beyond the file's last line (a crash between delivery and write); how many. */
async function catchUp(jsm: JetStreamManager, file: AuditFile, log: Logger): Promise<number> {
  const info = await jsm.consumers.info(STREAM, DURABLE).catch((error: unknown) => {
    if (isConsumerNotFound(error)) return undefined;
    throw error;
  });
  const delivered = info?.delivered.stream_seq ?? 0;
  if (delivered <= file.lastSequence) return 0;
  const missing = await readGap(jsm, file.lastSequence, delivered + 1);
  const after = file.lastSequence;
  if (missing.length) await file.append(missing.map((source) => formatAuditLine(auditLine(source, new Date()))).join(""), missing.at(-1)!.seq);
  log.info("caught up with the consumer", { after, delivered, events: missing.length });
  return missing.length;
}

export async function startAuditConsumer(deps: { nc: NatsConnection; file: AuditFile; log: Logger; onFatal: (error: unknown) => void }) {
  const { nc, file, log } = deps;
  const jsm = await jetstreamManager(nc);
  const caughtUp = await catchUp(jsm, file, log);
  const messages = await consumeDurable(nc, STREAM, consumerConfig(file.lastSequence), 512, warnOutdated(log));
  const counters: AuditCounters = { recorded: caughtUp, skipped: 0, filled: caughtUp, lastSequence: file.lastSequence };
  const queue: JsMsg[] = [];
  let wake: (() => void) | undefined;
  let stopping = false;

  const reader = (async () => {
    for await (const m of messages) {
      queue.push(m);
      wake?.();
    }
  })();

  // Whatever arrived while the last batch was being synced is the next batch: one fdatasync for many events.
  const writer = (async () => {
    while (!stopping || queue.length) {
      if (!queue.length) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      const batch = queue.splice(0);
      let text = "";
      let last = file.lastSequence;
      const recorded: { m: JsMsg; trace: TraceContext | undefined }[] = [];
      for (const m of batch) {
        const seq = m.info.streamSequence;
        if (seq <= last) {
          counters.skipped++;
          continue;
        }
        const trace = messageTrace(m.headers);
        text += formatAuditLine(auditLine({ seq, subject: m.subject, data: m.data, traceId: trace?.traceId, publishedAt: new Date(m.info.timestampNanos / 1e6) }, new Date()));
        last = seq;
        recorded.push({ m, trace });
      }
      try {
        if (text) await file.append(text, last);
      } catch (error) {
        // Nothing of this batch is acked; a restart realigns the consumer with what did reach the disk.
        deps.onFatal(error);
        return;
      }
      for (const m of batch) m.ack();
      counters.recorded += recorded.length;
      counters.lastSequence = last;
      for (const { m, trace } of recorded) {
        const write = () => log.info("event audited", { seq: m.info.streamSequence, subject: m.subject });
        // The event's own trace, not a child span: the audit log only records, it starts no work.
        if (trace) withTrace(trace, write);
        else write();
      }
    }
  })();

  log.info("consumer started", { stream: STREAM, consumer: DURABLE, filterSubject: SUBJECTS.vehicles, resumeAfter: file.lastSequence });
  return {
    counters,
    async stop() {
      messages.stop();
      await reader;
      stopping = true;
      wake?.();
      await writer;
    },
  };
}
