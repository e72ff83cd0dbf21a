/** Reading DEADLETTER and sending its messages back where they came from. */
import type { JetStreamClient, JetStreamManager, PubAck } from "@nats-io/jetstream";
import { STREAMS } from "@forecourt/shared/contracts";
import { isStreamNotFound, readDeadLetter, redriveHeaders, type DeadLetterRecord } from "@forecourt/shared/platform";

const STREAM = STREAMS.deadLetter.name;

export class DeadLetterNotFoundError extends Error {
  constructor(readonly id: number) {
    super(`no dead letter with id ${id} (see \`bun run dlq list\`)`);
    this.name = "DeadLetterNotFoundError";
  }
}

export async function listDeadLetters(jsm: JetStreamManager): Promise<DeadLetterRecord[]> {
  let state;
  try {
    state = (await jsm.streams.info(STREAM)).state;
  } catch (error) {
    if (isStreamNotFound(error)) return [];
    throw error;
  }
  const records: DeadLetterRecord[] = [];
  // Redriven letters leave holes in the sequence; stop once every stored message was found.
  for (let seq = state.first_seq; seq <= state.last_seq && records.length < state.messages; seq++) {
    const m = await jsm.streams.getMessage(STREAM, { seq });
    if (m) records.push(readDeadLetter(m.seq, m.subject, m.header, m.time));
  }
  return records;
}

export interface Redriven {
  id: number;
  subject: string;
  ack: PubAck;
}

/** Publishes the original body and headers to the original subject, then removes the dead letter. */
export async function redrive(js: JetStreamClient, jsm: JetStreamManager, id: number): Promise<Redriven> {
  let m;
  try {
    m = await jsm.streams.getMessage(STREAM, { seq: id });
  } catch (error) {
    if (isStreamNotFound(error)) throw new DeadLetterNotFoundError(id);
    throw error;
  }
  // getMessage answers null for a sequence DEADLETTER does not hold (never written, or already redriven).
  if (!m) throw new DeadLetterNotFoundError(id);
  const record = readDeadLetter(m.seq, m.subject, m.header, m.time);
  if (!record.subject) throw new Error(`dead letter ${id} records no original subject, so it cannot be redriven`);
  const { headers, msgId } = redriveHeaders(m.header, id);
  // Delete only after the original stream confirmed the publish: a crash in between redrives once more, deduplicated.
  const ack = await js.publish(record.subject, m.data, { headers, msgID: msgId });
  await jsm.streams.deleteMessage(STREAM, id, false);
  return { id, subject: record.subject, ack };
}

export function formatDeadLetters(records: DeadLetterRecord[]): string {
  if (!records.length) return "DEADLETTER is empty.";
  const rows = [["ID", "DEAD-LETTERED AT", "CONSUMER", "DELIVERIES", "ORIGINAL SUBJECT", "REASON"]];
  for (const r of records) rows.push([String(r.id), r.at, r.consumer, String(r.deliveries), r.subject || "(unknown)", r.reason]);
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  ")).join("\n");
}
