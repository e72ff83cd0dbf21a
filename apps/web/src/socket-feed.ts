/**
 * One browser's feed: an ordered JetStream consumer on the VEHICLES stream, filtered by subject and started
 * at the sequence the browser asked for, pumped into its WebSocket. Events come from NATS, never from an
 * in-process list, so any number of web instances serve the same events.
 *
 * Send buffer policy: Bun queues what the kernel cannot take yet. When a send reports backpressure the
 * pump stops pulling (the consumer holds at most `prefetch` messages) until the socket drains. A socket
 * still full after `slowSocketMs`, or one whose send is dropped because its buffer hit the limit, is closed
 * with 4008 and the browser resumes from its last sequence. One socket's pump never waits on another's.
 */
import { DeliverPolicy, type Consumer, type ConsumerMessages, type JetStreamClient, type JetStreamManager } from "nats";
import { InvalidEventError } from "@forecourt/shared/contracts";
import type { Logger } from "@forecourt/shared/platform";
import { CLOSE_SLOW_CONSUMER, type ServerMessage } from "./protocol.ts";
import type { RelayStats } from "./relay-stats.ts";
import { feedSubject, planStart } from "./resume.ts";
import { toVehicleMessage } from "./vehicle-message.ts";

/** Bun's ServerWebSocket.send status: bytes sent (> 0), -1 queued under backpressure, 0 dropped. */
export interface FeedSink {
  send(text: string): number;
  close(code: number, reason: string): void;
}

export interface FeedDeps {
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: string;
  resumeWindow: number;
  slowSocketMs: number;
  /** Messages pulled ahead per socket: the most a paused socket holds in the server's memory. */
  prefetch: number;
  stats: RelayStats;
  log: Logger;
}

interface Run {
  consumer: Consumer;
  messages: ConsumerMessages;
}

export class SocketFeed {
  private run: Run | undefined;
  private generation = 0;
  private closed = false;
  private drainWaiter: (() => void) | undefined;

  constructor(
    private readonly sink: FeedSink,
    private readonly deps: FeedDeps,
  ) {}

  /** (Re)starts the feed; a later call replaces an earlier one, so changing the filter is one message. */
  async subscribe(manufacturer: string | null, after: number | null): Promise<void> {
    const generation = ++this.generation;
    this.stopRun();
    const { state } = await this.deps.jsm.streams.info(this.deps.stream);
    const plan = planStart(after, { firstSeq: state.first_seq, lastSeq: state.last_seq }, this.deps.resumeWindow);
    const consumer = await this.deps.js.consumers.get(this.deps.stream, {
      filterSubjects: feedSubject(manufacturer),
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: plan.startSeq,
    });
    const messages = await consumer.consume({ max_messages: this.deps.prefetch });
    if (generation !== this.generation || this.closed) {
      messages.stop();
      void consumer.delete().catch(() => {});
      return;
    }
    const run = { consumer, messages };
    this.run = run;
    this.sendMessage({ type: "subscribed", manufacturer, fromSeq: plan.startSeq, lastSeq: state.last_seq, truncated: plan.truncated });
    // A fresh page's history is marked as backlog so it fills the table without a toast per old car.
    void this.pump(run, after === null ? state.last_seq : 0);
  }

  /** Sends a control frame (welcome, error, pong); feed frames go through the pump. */
  sendMessage(message: ServerMessage): void {
    if (!this.closed) this.sink.send(JSON.stringify(message));
  }

  /** The socket's buffer emptied: let a paused pump continue. */
  drained(): void {
    this.drainWaiter?.();
  }

  close(): void {
    this.closed = true;
    this.generation++;
    this.stopRun();
    this.drainWaiter?.();
  }

  private stopRun(): void {
    const run = this.run;
    this.run = undefined;
    if (!run) return;
    run.messages.stop();
    // Delete now rather than leave the consumer to the server's inactivity timeout: hundreds of sockets come and go.
    void run.consumer.delete().catch(() => {});
  }

  private async pump(run: Run, backlogUntil: number): Promise<void> {
    try {
      for await (const m of run.messages) {
        if (this.run !== run) break;
        let text: string;
        try {
          const message = toVehicleMessage(
            { subject: m.subject, data: m.data, seq: m.seq, timestampNanos: m.info.timestampNanos },
            m.seq <= backlogUntil,
          );
          text = JSON.stringify(message);
        } catch (error) {
          if (!(error instanceof InvalidEventError)) throw error;
          this.deps.stats.invalidEvents++;
          this.deps.log.warn("invalid event skipped", { subject: m.subject, seq: m.seq, error });
          continue;
        }
        if (!(await this.deliver(text))) return;
      }
    } catch (error) {
      this.deps.log.error("feed failed", { error });
    }
  }

  private async deliver(text: string): Promise<boolean> {
    const status = this.sink.send(text);
    if (status > 0) {
      this.deps.stats.messagesRelayed++;
      return true;
    }
    if (status === 0) return this.drop("send buffer full");
    this.deps.stats.messagesRelayed++;
    if (await this.waitForDrain()) return !this.closed;
    return this.drop("send buffer not drained in time");
  }

  private waitForDrain(): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.drainWaiter = undefined;
        resolve(false);
      }, this.deps.slowSocketMs);
      this.drainWaiter = () => {
        clearTimeout(timer);
        this.drainWaiter = undefined;
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
