/** Reading back what landed in a stream, for tests that check what a worker published. */
import { DeliverPolicy, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import type { MsgHdrs } from "@nats-io/transport-node";
import { isStreamNotFound } from "../platform/nats-errors.ts";

export interface StoredEvent {
  subject: string;
  seq: number;
  data: Uint8Array;
  headers?: MsgHdrs;
}

/** How long a read may go without a message before it gives up (a leader gone mid-read can leave it waiting). */
const STALL_MS = 15_000;

/** The part of a consumer's message iterator a read uses. */
type Messages = Pick<ConsumerMessages, "stop"> & AsyncIterable<JsMsg>;

/**
 * Reads an ordered consumer's messages until none is pending. A read that gets no message for `STALL_MS` stops and
 * throws, rather than wait for ever: after a kill -9 the ordered consumer can be left pulling from a server that
 * is gone, and a checker that waits on it never gets to look again.
 */
export async function readAll<T>(messages: Messages, take: (m: JsMsg) => T[], what: string, stallMs = STALL_MS): Promise<T[]> {
  const taken: T[] = [];
  let done = false;
  let stalled = false;
  const arm = () => setTimeout(() => ((stalled = true), messages.stop()), stallMs);
  let watchdog = arm();
  try {
    for await (const m of messages) {
      taken.push(...take(m));
      clearTimeout(watchdog);
      if (m.info.pending === 0) {
        done = true;
        break;
      }
      watchdog = arm();
    }
  } finally {
    clearTimeout(watchdog);
    messages.stop();
  }
  if (!done) throw new Error(`reading ${what} ${stalled ? `got no message for ${stallMs / 1000} s` : "stopped"} after ${taken.length} message(s)`);
  return taken;
}

/** Every message in the stream on the filter subject, in stream order (an ordered consumer, no durable state). */
export async function readStream(js: JetStreamClient, stream: string, filterSubject: string): Promise<StoredEvent[]> {
  const consumer = await js.consumers.get(stream, { filter_subjects: filterSubject });
  if ((await consumer.info()).num_pending === 0) return [];
  return readAll(await consumer.consume(), (m) => [{ subject: m.subject, seq: m.seq, data: m.data, headers: m.headers }], `${stream} (${filterSubject})`);
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
  await readAll(messages, (m) => {
    const operation = m.headers?.get("KV-Operation");
    const key = m.subject.slice(prefix.length);
    if (operation === "DEL" || operation === "PURGE") entries.delete(key);
    else entries.set(key, m.data);
    return [];
  }, `the bucket ${bucket}`);
  return entries;
}
