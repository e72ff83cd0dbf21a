/** Reading back what landed in a stream, for tests that check what a worker published. */
import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import type { MsgHdrs } from "@nats-io/transport-node";
import { isStreamNotFound } from "../platform/nats-errors.ts";

export interface StoredEvent {
  subject: string;
  seq: number;
  data: Uint8Array;
  headers?: MsgHdrs;
}

/** Every message in the stream on the filter subject, in stream order (an ordered consumer, no durable state). */
export async function readStream(js: JetStreamClient, stream: string, filterSubject: string): Promise<StoredEvent[]> {
  const consumer = await js.consumers.get(stream, { filter_subjects: filterSubject });
  const pending = (await consumer.info()).num_pending;
  const events: StoredEvent[] = [];
  if (pending === 0) return events;
  const messages = await consumer.consume();
  for await (const m of messages) {
    events.push({ subject: m.subject, seq: m.seq, data: m.data, headers: m.headers });
    if (m.info.pending === 0) break;
  }
  messages.stop();
  return events;
}

/** How many messages the stream holds on the filter subject. */
export async function countSubject(jsm: JetStreamManager, stream: string, filterSubject: string): Promise<number> {
  try {
    const info = await jsm.streams.info(stream, { subjects_filter: filterSubject });
    return Object.values(info.state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
  } catch (error) {
    if (isStreamNotFound(error)) return 0;
    throw error;
  }
}

/**
 * Every live key of a KV bucket with its value (deleted keys left out), read from the bucket's stream with an
 * ordered consumer (last value per key), as kv.keys() can stop short on nats-server 2.9.
 */
export async function readBucket(js: JetStreamClient, bucket: string): Promise<Map<string, Uint8Array>> {
  const prefix = `$KV.${bucket}.`;
  const consumer = await js.consumers.get(`KV_${bucket}`, { filter_subjects: `${prefix}>`, deliver_policy: DeliverPolicy.LastPerSubject });
  const entries = new Map<string, Uint8Array>();
  if ((await consumer.info()).num_pending === 0) return entries;
  const messages = await consumer.consume({ max_messages: 1_000 });
  for await (const m of messages) {
    const operation = m.headers?.get("KV-Operation");
    const key = m.subject.slice(prefix.length);
    if (operation === "DEL" || operation === "PURGE") entries.delete(key);
    else entries.set(key, m.data);
    if (m.info.pending === 0) break;
  }
  messages.stop();
  return entries;
}
