/**
 * Every socket following a stream sequence gets the same frame, so each sequence is decoded and
 * serialised once, not once per socket: decoding against the proto schema is the relay's main cost.
 * The cache only saves work; what a socket receives still comes from its own consumer.
 */
import { InvalidEventError } from "@forecourt/shared/contracts";
import { toVehicleMessage, type StreamMessage } from "./vehicle-message.ts";

interface Entry {
  live?: string;
  backlog?: string;
  invalid?: InvalidEventError;
}

export class FrameCache {
  private readonly entries = new Map<number, Entry>();

  constructor(private readonly capacity = 4096) {}

  /** The frame's JSON text; throws InvalidEventError (also cached) for a body that breaks the contract. */
  frame(m: StreamMessage, backlog: boolean): string {
    let entry = this.entries.get(m.seq);
    if (!entry) {
      entry = {};
      this.entries.set(m.seq, entry);
      // Maps iterate in insertion order: the first key is the oldest sequence cached.
      if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
    if (entry.invalid) throw entry.invalid;
    const key = backlog ? "backlog" : "live";
    const cached = entry[key];
    if (cached !== undefined) return cached;
    try {
      return (entry[key] = JSON.stringify(toVehicleMessage(m, backlog)));
    } catch (error) {
      if (error instanceof InvalidEventError) entry.invalid = error;
      throw error;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
