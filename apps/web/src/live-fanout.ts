/**
 * Sockets that have caught up share one ordered consumer per subject filter instead of one each, so a live
 * event costs NATS one delivery per web instance and filter, not one per browser.
 *
 * Joining is synchronous and exact: a socket that has delivered everything up to sequence `s` may join a
 * fanout whose last dispatched sequence is ≤ s (it skips what it already has); a fanout that is already past
 * `s` would leave a gap, so the socket keeps its own consumer until it catches up. A new fanout starts its
 * consumer right after its first member's sequence. Events still come only from JetStream.
 */
import { DeliverPolicy, type ConsumerMessages, type JetStreamClient } from "@nats-io/jetstream";
import { PULL_EXPIRES_MS, type Logger } from "@forecourt/shared/platform";
import { ConsumerLostError, type WatchConsumer } from "./consumer-loss.ts";
import { startRelaySpan } from "./relay-span.ts";
import type { StreamMessage } from "./vehicle-message.ts";

export interface FanoutMember {
  /** Called for each event after the member's join point, in stream order. */
  deliverLive(m: StreamMessage): void;
  /** The fanout's consumer failed; the member must find another way (its own consumer). */
  fanoutLost(lastSeq: number): void;
}

interface FanoutDeps {
  js: JetStreamClient;
  stream: string;
  log: Logger;
  watchLoss: WatchConsumer;
}

class Fanout {
  lastSeq: number;
  readonly members = new Map<FanoutMember, number>();
  private messages: ConsumerMessages | undefined;
  private stopped = false;

  constructor(
    readonly filter: string,
    startAfter: number,
    private readonly deps: FanoutDeps & { onEmpty: (f: Fanout) => void },
  ) {
    this.lastSeq = startAfter;
    void this.run(startAfter + 1);
  }

  private async run(startSeq: number): Promise<void> {
    try {
      const consumer = await this.deps.js.consumers.get(this.deps.stream, {
        filter_subjects: this.filter,
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: startSeq,
      });
      // Short pulls: two missed heartbeats tell within seconds that the consumer's server is gone (consumer-loss.ts).
      const messages = await consumer.consume({ max_messages: 256, expires: PULL_EXPIRES_MS });
      this.deps.watchLoss(messages);
      this.messages = messages;
      if (this.stopped) messages.stop();
      for await (const m of messages) {
        this.lastSeq = m.seq;
        const message = { subject: m.subject, data: m.data, seq: m.seq, timestampNanos: m.info.timestampNanos, headers: m.headers };
        const span = startRelaySpan(message, "shared", this.members.size);
        for (const [member, skipUntil] of this.members) if (m.seq > skipUntil) member.deliverLive(message);
        span.end();
      }
      if (!this.stopped) throw new Error("fanout consumer ended");
      void consumer.delete().catch(() => {});
    } catch (error) {
      // A lost consumer is a server gone: expected in a cluster, and the members carry on by themselves.
      this.deps.log[error instanceof ConsumerLostError ? "warn" : "error"]("fanout failed", { filter: this.filter, error });
      this.stop();
      for (const member of [...this.members.keys()]) member.fanoutLost(this.lastSeq);
      this.members.clear();
    }
  }

  stop(): void {
    this.stopped = true;
    this.messages?.stop();
    this.deps.onEmpty(this);
  }
}

export class LiveFanouts {
  private readonly fanouts = new Map<string, Fanout>();

  constructor(private readonly deps: FanoutDeps) {}

  /** Joins the filter's fanout if that loses nothing after `deliveredUpTo`; false means keep your own consumer. */
  join(filter: string, member: FanoutMember, deliveredUpTo: number): boolean {
    let fanout = this.fanouts.get(filter);
    if (!fanout) {
      fanout = new Fanout(filter, deliveredUpTo, { ...this.deps, onEmpty: (f) => this.fanouts.get(f.filter) === f && this.fanouts.delete(f.filter) });
      this.fanouts.set(filter, fanout);
    }
    if (fanout.lastSeq > deliveredUpTo) return false;
    fanout.members.set(member, deliveredUpTo);
    return true;
  }

  leave(filter: string, member: FanoutMember): void {
    const fanout = this.fanouts.get(filter);
    if (!fanout?.members.delete(member)) return;
    if (fanout.members.size === 0) fanout.stop();
  }

  /** How many shared consumers are running: one per filter with live members. */
  get size(): number {
    return this.fanouts.size;
  }
}
