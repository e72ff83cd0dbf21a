/**
 * Dead letters: a message a consumer gave up on, copied to the DEADLETTER stream with its original body and
 * headers plus why, from where and after how many deliveries. `bun run dlq` reads them back and redrives them.
 */
import type { JetStreamClient, JsMsg, PubAck } from "@nats-io/jetstream";
import { headers as natsHeaders, type MsgHdrs } from "@nats-io/transport-node";

/** Headers the dead-letter copy adds; redrive strips every header with this prefix. */
export const DLQ_HEADER_PREFIX = "Forecourt-Dlq-";
export const DLQ_HEADERS = {
  reason: `${DLQ_HEADER_PREFIX}Reason`,
  subject: `${DLQ_HEADER_PREFIX}Original-Subject`,
  stream: `${DLQ_HEADER_PREFIX}Original-Stream`,
  sequence: `${DLQ_HEADER_PREFIX}Original-Sequence`,
  msgId: `${DLQ_HEADER_PREFIX}Original-Msg-Id`,
  consumer: `${DLQ_HEADER_PREFIX}Consumer`,
  deliveries: `${DLQ_HEADER_PREFIX}Deliveries`,
  at: `${DLQ_HEADER_PREFIX}At`,
} as const;

const MSG_ID = "Nats-Msg-Id";

export interface DeadLetterSource {
  subject: string;
  headers?: MsgHdrs;
  stream: string;
  streamSequence: number;
  consumer: string;
  deliveries: number;
}

export interface DeadLetterMessage {
  subject: string;
  headers: MsgHdrs;
  /** Dedup id in DEADLETTER: a message dead-lettered again after a crash before term() keeps one copy. */
  msgId: string;
}

/** forecourt.deadletter.<consumer>.<original subject>: `nats sub 'forecourt.deadletter.pricer.>'` shows one consumer's. */
export function deadLetterSubject(consumer: string, originalSubject: string): string {
  return `forecourt.deadletter.${consumer}.${originalSubject}`;
}

/** Reasons are one line: header values may not hold CR or LF. */
function oneLine(text: string, max = 500): string {
  const line = text.replace(/[\r\n]+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function buildDeadLetter(source: DeadLetterSource, reason: string, now: Date = new Date()): DeadLetterMessage {
  const h = natsHeaders();
  if (source.headers) {
    for (const [key, values] of source.headers) {
      // The original id goes in its own header: reused as-is, DEADLETTER's dedup would conflate redriven retries.
      if (key.toLowerCase() === MSG_ID.toLowerCase()) continue;
      for (const value of values) h.append(key, value);
    }
    const originalId = source.headers.get(MSG_ID);
    if (originalId) h.set(DLQ_HEADERS.msgId, originalId);
  }
  h.set(DLQ_HEADERS.reason, oneLine(reason) || "unknown");
  h.set(DLQ_HEADERS.subject, source.subject);
  h.set(DLQ_HEADERS.stream, source.stream);
  h.set(DLQ_HEADERS.sequence, String(source.streamSequence));
  h.set(DLQ_HEADERS.consumer, source.consumer);
  h.set(DLQ_HEADERS.deliveries, String(source.deliveries));
  h.set(DLQ_HEADERS.at, now.toISOString());
  return {
    subject: deadLetterSubject(source.consumer, source.subject),
    headers: h,
    msgId: `dlq:${source.stream}:${source.consumer}:${source.streamSequence}`,
  };
}

/**
 * Copies a message its consumer gives up on to DEADLETTER: stream, consumer and deliveries come from the
 * message's own delivery info. Resolves once JetStream has stored the copy; only then may the caller term it.
 */
export function publishDeadLetter(js: JetStreamClient, m: JsMsg, reason: string): Promise<PubAck> {
  const { stream, consumer, streamSequence, deliveryCount: deliveries } = m.info;
  const letter = buildDeadLetter({ subject: m.subject, headers: m.headers, stream, streamSequence, consumer, deliveries }, reason);
  return js.publish(letter.subject, m.data, { headers: letter.headers, msgID: letter.msgId });
}

/** What `bun run dlq list` shows of one dead letter; `id` is its DEADLETTER stream sequence. */
export interface DeadLetterRecord {
  id: number;
  subject: string;
  consumer: string;
  reason: string;
  deliveries: number;
  originalStream: string;
  originalSequence: number;
  at: string;
}

export function readDeadLetter(id: number, subject: string, h: MsgHdrs | undefined, storedAt: Date): DeadLetterRecord {
  const get = (key: string) => h?.get(key) || "";
  return {
    id,
    // A message someone published to DEADLETTER by hand has no original subject: it cannot be redriven.
    subject: get(DLQ_HEADERS.subject),
    consumer: get(DLQ_HEADERS.consumer) || subject.split(".")[2] || "",
    reason: get(DLQ_HEADERS.reason),
    deliveries: Number(get(DLQ_HEADERS.deliveries) || 0),
    originalStream: get(DLQ_HEADERS.stream),
    originalSequence: Number(get(DLQ_HEADERS.sequence) || 0),
    at: get(DLQ_HEADERS.at) || storedAt.toISOString(),
  };
}

/** The original headers back, with a fresh Nats-Msg-Id so the stream's duplicate window does not drop the redrive. */
export function redriveHeaders(h: MsgHdrs | undefined, deadLetterId: number): { headers: MsgHdrs; msgId: string } {
  const out = natsHeaders();
  for (const [key, values] of h ?? []) {
    if (key.startsWith(DLQ_HEADER_PREFIX) || key.toLowerCase() === MSG_ID.toLowerCase()) continue;
    for (const value of values) out.append(key, value);
  }
  // Deterministic per dead letter: a redrive retried after a crash before the delete is still published once.
  return { headers: out, msgId: `redrive:${deadLetterId}:${h?.get(DLQ_HEADERS.msgId) || h?.get(DLQ_HEADERS.sequence) || ""}` };
}
