/**
 * The part of a JetStream KV bucket the vehicle store and outbox use, in memory, for unit tests: revisions,
 * create of an existing key and CAS on a stale revision fail with the server's typed error, as they do in NATS.
 */
import { JetStreamApiError } from "@nats-io/jetstream";
import type { KV, KvEntry } from "@nats-io/kv";
import { JS_API_CODES } from "@forecourt/shared/platform";

const wrongLastSequence = () => new JetStreamApiError({ err_code: JS_API_CODES.StreamWrongLastSequence, code: 400, description: "wrong last sequence" });

export function memoryKv() {
  const entries = new Map<string, { revision: number; value: Uint8Array; operation: "PUT" | "DEL" }>();
  let sequence = 0;
  const write = (key: string, value: Uint8Array, operation: "PUT" | "DEL" = "PUT") => {
    entries.set(key, { revision: ++sequence, value, operation });
    return sequence;
  };
  const live = (key: string) => (entries.get(key)?.operation === "PUT" ? entries.get(key) : undefined);
  const kv = {
    async create(key: string, value: Uint8Array) {
      if (live(key)) throw wrongLastSequence();
      return write(key, value);
    },
    async update(key: string, value: Uint8Array, revision: number) {
      if (entries.get(key)?.revision !== revision) throw wrongLastSequence();
      return write(key, value);
    },
    async put(key: string, value: Uint8Array) {
      return write(key, value);
    },
    async delete(key: string, options?: { previousSeq?: number }) {
      if (options?.previousSeq !== undefined && entries.get(key)?.revision !== options.previousSeq) throw wrongLastSequence();
      write(key, new Uint8Array(), "DEL");
    },
    async get(key: string): Promise<KvEntry | null> {
      const entry = entries.get(key);
      if (!entry) return null;
      return { key, revision: entry.revision, operation: entry.operation, value: entry.value, json: () => JSON.parse(new TextDecoder().decode(entry.value)) } as unknown as KvEntry;
    },
  };
  return { kv: kv as unknown as KV, revision: (key: string) => entries.get(key)?.revision };
}
