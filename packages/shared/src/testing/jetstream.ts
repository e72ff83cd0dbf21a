/** Reading back what landed in a stream, for tests that check what a worker published. */
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
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
