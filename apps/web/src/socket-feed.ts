/**
 * One browser's feed from the VEHICLES stream, filtered by subject, starting at the sequence it asked for.
 * While it has history to catch up on it reads through its own ordered consumer; once caught up it joins
 * the filter's shared live fanout (live-fanout.ts). Events come from JetStream, never from an in-process
 * list, so any number of web instances serve the same events.
 *
 * Send buffer policy: Bun queues what the kernel cannot take yet, up to `socketBufferBytes`. When a send
 * reports backpressure the socket leaves the shared fanout (it never holds up other sockets) and, once it has
 * drained, continues through its own consumer, which pulls only while the socket keeps up (at most `prefetch`
 * messages held). A socket still full after `slowSocketMs`, or one whose send is dropped because the buffer
 * is at its limit, is closed with 4008 and the browser resumes from its last sequence.
 *
 * End to end, the page acknowledges the last sequence it applied (`ack` frames): at `maxUnacked` vehicle frames
 * sent and not acknowledged the socket is treated as backpressured too (off the shared fanout, its own consumer
 * paused), and closed with 4008 if no ack makes room within `slowSocketMs`. So a socket that never reads holds at
 * most that many frames, wherever they sit (Bun's buffer, the kernel's, the network).
 */
import { DeliverPolicy, type Consumer, type ConsumerMessages, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { InvalidEventError } from "@forecourt/shared/contracts";
import { PULL_EXPIRES_MS, type Logger } from "@forecourt/shared/platform";
import type { FrameCache } from "./frame-cache.ts";
import { ConsumerLostError, type WatchConsumer } from "./consumer-loss.ts";
import type { FanoutMember, LiveFanouts } from "./live-fanout.ts";
import { CLOSE_SLOW_CONSUMER, CLOSE_TRY_AGAIN, type ServerMessage } from "./protocol.ts";
import { startRelaySpan } from "./relay-span.ts";
import type { RelayStats } from "./relay-stats.ts";
import { feedSubject, planStart } from "./resume.ts";
import { UnackedFrames } from "./unacked-frames.ts";
import type { StreamMessage } from "./vehicle-message.ts";

/** Bun's ServerWebSocket.send status: bytes sent (> 0), -1 queued under backpressure, 0 dropped. */
export interface FeedSink {
  send(text: string): number;
  close(code: number, reason: string): void;
}

export interface FeedDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: string;
  /** The stack's participant, whose events the stream captures itself. */
  participant: string;
  resumeWindow: number;
  slowSocketMs: number;
  /** Messages pulled ahead by a socket's own consumer: the most a paused socket holds in the server's memory. */
  prefetch: number;
  /** Vehicle frames a page may have unacknowledged before its feed pauses. */
  maxUnacked: number;
  stats: RelayStats;
  log: Logger;
  frames: FrameCache;
  fanouts: LiveFanouts;
  watchLoss: WatchConsumer;
}

interface Run {
  consumer: Consumer;
  messages: ConsumerMessages;
}

export class SocketFeed implements FanoutMember {
  private run: Run | undefined;
  private filter: string | undefined;
  private sharing = false;
  private generation = 0;
  private closed = false;
  private lastSeq = 0;
  private roomWaiter: (() => void) | undefined;
  /** Bun reported backpressure and has not drained since. */
  private backpressured = false;
  private readonly unacked: UnackedFrames;

  constructor(
    private readonly sink: FeedSink,
    private readonly deps: FeedDeps,
  ) {
    this.unacked = new UnackedFrames(deps.maxUnacked);
  }

  /** (Re)starts the feed; a later call replaces an earlier one, so changing the filter is one message. */
  async subscribe(manufacturer: string | null, participant: string | null, after: number | null): Promise<void> {
    const generation = ++this.generation;
    this.stopFeed();
    this.unacked.reset();
    const { state, config } = await this.deps.jsm.streams.info(this.deps.stream);
    if (generation !== this.generation) return;
    const plan = planStart(after, { firstSeq: state.first_seq, lastSeq: state.last_seq }, this.deps.resumeWindow);
    const sourcesOtherDomains = (config.sources ?? []).some((source) => source.external);
    const filter = feedSubject(manufacturer, participant, { participant: this.deps.participant, sourcesOtherDomains });
    this.filter = filter ?? undefined;
    this.lastSeq = plan.startSeq - 1;
    this.sendMessage({ type: "subscribed", manufacturer, participant, fromSeq: plan.startSeq, lastSeq: state.last_seq, truncated: plan.truncated });
    // Nothing in the stream can match (another participant's events, with none sourced): an empty feed.
    if (filter === null) return;
    // Nothing to replay: go straight to the shared feed if it has not moved past where this socket starts.
    if (plan.startSeq > state.last_seq && this.tryShare()) return;
    // A fresh page's history is marked as backlog so it fills the table without a toast per old car.
    await this.startOwn(generation, after === null ? state.last_seq : 0);
  }

  /** Sends a control frame (welcome, error, pong); feed frames go through deliver. */
  sendMessage(message: ServerMessage): void {
    if (!this.closed) this.sink.send(JSON.stringify(message));
  }

  /** The socket's buffer emptied: let a paused feed continue. */
  drained(): void {
    this.backpressured = false;
    this.roomWaiter?.();
  }

  /** The page applied everything up to `seq`. */
  acked(seq: number): void {
    this.unacked.ack(seq);
    this.roomWaiter?.();
  }

  close(): void {
    this.closed = true;
    this.generation++;
    this.stopFeed();
    this.roomWaiter?.();
  }

  deliverLive(m: StreamMessage): void {
    const text = this.frameText(m, false);
    if (text === undefined) return;
    this.lastSeq = m.seq;
    const status = this.send(text, m.seq);
    if (status === "ok") return;
    this.leaveShared();
    if (status === "dropped") {
      this.drop("send buffer full");
      return;
    }
    const generation = this.generation;
    void this.waitForRoom().then((room) => {
      if (generation !== this.generation || this.closed) return;
      if (!room) this.drop(this.slowReason());
      else this.continueOwn(generation);
    });
  }

  fanoutLost(): void {
    this.sharing = false;
    if (!this.closed) this.continueOwn(this.generation);
  }

  /** Off the shared feed: carry on through an own consumer, or have the browser reconnect if NATS refuses. */
  private continueOwn(generation: number): void {
    this.startOwn(generation, 0).catch((error) => {
      this.deps.log.warn("feed restart failed", { error });
      this.close();
      this.sink.close(CLOSE_TRY_AGAIN, "feed unavailable: reconnect and resume");
    });
  }

  private tryShare(): boolean {
    if (!this.filter || !this.deps.fanouts.join(this.filter, this, this.lastSeq)) return false;
    this.sharing = true;
    return true;
  }

  private leaveShared(): void {
    if (this.sharing && this.filter) this.deps.fanouts.leave(this.filter, this);
    this.sharing = false;
  }

  private stopFeed(): void {
    this.leaveShared();
    const run = this.run;
    this.run = undefined;
    if (!run) return;
    run.messages.stop();
    // Delete now rather than leave the consumer to the server's inactivity timeout: hundreds of sockets come and go.
    void run.consumer.delete().catch(() => {});
  }

  /** Reads from this socket's own ordered consumer, right after the last sequence delivered. */
  private async startOwn(generation: number, backlogUntil: number): Promise<void> {
    const consumer = await this.deps.js.consumers.get(this.deps.stream, {
      filter_subjects: this.filter,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: this.lastSeq + 1,
    });
    const messages = await consumer.consume({ max_messages: this.deps.prefetch, expires: PULL_EXPIRES_MS });
    this.deps.watchLoss(messages);
    if (generation !== this.generation || this.closed) {
      messages.stop();
      void consumer.delete().catch(() => {});
      return;
    }
    const run = { consumer, messages };
    this.run = run;
    void this.pump(run, backlogUntil);
  }

  private async pump(run: Run, backlogUntil: number): Promise<void> {
    try {
      for await (const m of run.messages) {
        if (this.run !== run) break;
        const message = { subject: m.subject, data: m.data, seq: m.seq, timestampNanos: m.info.timestampNanos, headers: m.headers };
        const backlog = m.seq <= backlogUntil;
        const text = this.frameText(message, backlog);
        this.lastSeq = m.seq;
        // History replayed to a fresh page is not traced: only what happens to an event as it happens.
        const span = text !== undefined && !backlog ? startRelaySpan(message, "own", 1) : undefined;
        const delivered = text === undefined || (await this.deliver(text, m.seq));
        span?.end();
        if (!delivered) return;
        if (this.run !== run) break;
        // Caught up and past any backlog: hand over to the shared live feed if that loses nothing.
        if (m.info.pending === 0 && m.seq >= backlogUntil && this.tryShare()) {
          this.run = undefined;
          run.messages.stop();
          void run.consumer.delete().catch(() => {});
          return;
        }
      }
    } catch (error) {
      if (error instanceof ConsumerLostError && this.run === run) {
        this.deps.log.warn("feed consumer lost; starting another", { error, lastSeq: this.lastSeq });
        this.run = undefined;
        this.continueOwn(this.generation);
        return;
      }
      this.deps.log.error("feed failed", { error });
      this.sink.close(CLOSE_TRY_AGAIN, "feed failed: reconnect and resume");
    }
  }

  private frameText(m: StreamMessage, backlog: boolean): string | undefined {
    try {
      return this.deps.frames.frame(m, backlog);
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      this.deps.stats.invalidEvents++;
      this.deps.log.warn("invalid event skipped", { subject: m.subject, seq: m.seq, error });
      return undefined;
    }
  }

  /** Sends a vehicle frame: "ok", "wait" (queued, but Bun's buffer or the page's acks are behind) or "dropped". */
  private send(text: string, seq: number): "ok" | "wait" | "dropped" {
    const status = this.sink.send(text);
    if (status === 0) return "dropped";
    this.deps.stats.messagesRelayed++;
    this.unacked.sent(seq);
    if (status < 0) this.backpressured = true;
    return this.hasRoom() ? "ok" : "wait";
  }

  private hasRoom(): boolean {
    return !this.backpressured && !this.unacked.full;
  }

  private slowReason(): string {
    return this.backpressured ? "send buffer not drained in time" : `${this.unacked.count} frames not acknowledged in time`;
  }

  private async deliver(text: string, seq: number): Promise<boolean> {
    const status = this.send(text, seq);
    if (status === "ok") return true;
    if (status === "dropped") return this.drop("send buffer full");
    if (await this.waitForRoom()) return !this.closed;
    return this.drop(this.slowReason());
  }

  /** Resolves true once Bun has drained and acks have made room, false after `slowSocketMs`. */
  private waitForRoom(): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.roomWaiter = undefined;
        resolve(false);
      }, this.deps.slowSocketMs);
      this.roomWaiter = () => {
        if (!this.hasRoom() && !this.closed) return;
        clearTimeout(timer);
        this.roomWaiter = undefined;
        resolve(true);
      };
    });
  }

  private drop(reason: string): false {
    if (this.closed) return false;
    this.deps.stats.socketsDropped++;
    this.deps.log.warn("slow socket dropped", { reason });
    this.close();
    this.sink.close(CLOSE_SLOW_CONSUMER, "slow consumer: resume from your last sequence");
    return false;
  }
}
