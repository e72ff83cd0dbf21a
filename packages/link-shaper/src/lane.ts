/**
 * One direction of one connection: bytes wait for bandwidth (a token bucket), then travel for latency ± jitter,
 * then are delivered, always in the order they came. Two queues:
 *   waiting   bytes not yet "sent": released at the bandwidth cap, split into small pieces so they trickle;
 *   in flight bytes "on the wire": each piece is due at release + latency ± jitter, and leaves no earlier than the
 *             piece ahead of it.
 * Settings are read on every pump, so a change applies from the next byte on; what is already in flight keeps its
 * due time. While held nothing moves; on release, pieces already due go at once and the rest keep their times.
 */
import type { DirectionSettings } from "./settings.ts";

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface LaneOptions {
  settings(): DirectionSettings;
  held(): boolean;
  deliver(chunk: Uint8Array): void;
  /** Called after pieces were delivered (so the owner can resume reading or finish a half-close). */
  delivered?(): void;
  clock?: Clock;
  random?: () => number;
}

/** The bucket refills continuously; pieces go out once 10 ms worth of tokens (or the whole rest of a chunk) are there. */
const QUANTUM_SECONDS = 0.01;
/** Due times within this of now count as due: timers fire a little late, never much early. */
const DUE_SLACK_MS = 1;

interface InFlight {
  due: number;
  chunk: Uint8Array;
}

/** FIFO with O(1) take from the front: a busy link queues thousands of small pieces. */
class Queue<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  push(item: T): void {
    this.items.push(item);
  }

  replaceHead(item: T): void {
    this.items[this.head] = item;
  }

  take(): T {
    const item = this.items[this.head]!;
    this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

export class Lane {
  private readonly waiting = new Queue<Uint8Array>();
  private waitingBytes = 0;
  private readonly inFlight = new Queue<InFlight>();
  private inFlightBytes = 0;
  private tokens = 0;
  private refilledAt: number;
  /** Bytes were left waiting at the last pump: the link has been busy since, so all of that time was sending time. */
  private backlogged = false;
  private bucketRate = 0;
  private timer: unknown;
  private closed = false;
  private readonly clock: Clock;
  private readonly random: () => number;

  constructor(private readonly options: LaneOptions) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.refilledAt = this.clock.now();
  }

  /** Bytes taken in and not yet delivered. */
  get queuedBytes(): number {
    return this.waitingBytes + this.inFlightBytes;
  }

  push(chunk: Uint8Array): void {
    if (this.closed || chunk.length === 0) return;
    this.waiting.push(chunk);
    this.waitingBytes += chunk.length;
    this.pump();
  }

  /** Drops whatever is queued: the connection is gone. */
  close(): void {
    this.closed = true;
    this.cancelTimer();
    this.waiting.clear();
    this.inFlight.clear();
    this.waitingBytes = 0;
    this.inFlightBytes = 0;
  }

  /** Moves what may move now and sets a timer for the next thing that will. Call after any settings change. */
  pump(): void {
    this.cancelTimer();
    if (this.closed) return;
    if (this.options.held()) {
      // A hold is no sending time: the bucket refills afterwards as after idling, up to its capacity only.
      this.backlogged = false;
      return;
    }
    const settings = this.options.settings();
    const now = this.clock.now();
    this.release(settings, now);
    this.backlogged = this.waiting.length > 0;
    this.deliverDue(now);
    if (this.closed) return;
    const next = Math.min(this.inFlight.peek()?.due ?? Infinity, this.nextRelease(settings, now));
    if (next !== Infinity) this.timer = this.clock.setTimeout(() => ((this.timer = undefined), this.pump()), Math.max(0, next - now));
  }

  private release(settings: DirectionSettings, now: number): void {
    const rate = settings.bandwidthBps / 8;
    if (rate !== this.bucketRate) {
      // A new cap starts with an empty bucket, so raising it never releases a burst of the old one's savings.
      this.bucketRate = rate;
      this.tokens = 0;
      this.refilledAt = now;
    }
    if (rate > 0) {
      // While backlogged every moment counts, however late the timer fired; after idling, at most a bucket's worth.
      const refilled = this.tokens + ((now - this.refilledAt) / 1000) * rate;
      this.tokens = this.backlogged ? refilled : Math.min(this.capacity(rate), refilled);
      this.refilledAt = now;
    }
    while (this.waiting.length > 0) {
      const head = this.waiting.peek()!;
      let piece = head;
      if (rate > 0) {
        const allowed = Math.floor(this.tokens);
        if (allowed < Math.min(this.quantum(rate), head.length)) break;
        piece = head.subarray(0, Math.min(allowed, head.length));
        this.tokens -= piece.length;
      }
      if (piece.length === head.length) this.waiting.take();
      else this.waiting.replaceHead(head.subarray(piece.length));
      this.waitingBytes -= piece.length;
      this.send(piece, settings, now);
    }
  }

  private send(chunk: Uint8Array, settings: DirectionSettings, now: number): void {
    const jitter = settings.jitterMs > 0 ? (this.random() * 2 - 1) * settings.jitterMs : 0;
    // In flight is a FIFO: a piece whose jittered due time comes before that of the piece ahead of it leaves right
    // after that piece, never before it.
    this.inFlight.push({ due: now + Math.max(0, settings.latencyMs + jitter), chunk });
    this.inFlightBytes += chunk.length;
  }

  private deliverDue(now: number): void {
    let delivered = false;
    while (!this.closed && this.inFlight.length > 0 && this.inFlight.peek()!.due <= now + DUE_SLACK_MS) {
      const { chunk } = this.inFlight.take();
      this.inFlightBytes -= chunk.length;
      delivered = true;
      this.options.deliver(chunk);
    }
    if (delivered && !this.closed) this.options.delivered?.();
  }

  private nextRelease(settings: DirectionSettings, now: number): number {
    const head = this.waiting.peek();
    const rate = settings.bandwidthBps / 8;
    if (!head || rate === 0) return Infinity;
    const needed = Math.min(this.quantum(rate), head.length) - this.tokens;
    return now + (Math.max(0, needed) / rate) * 1000;
  }

  private quantum(rate: number): number {
    return Math.max(1, Math.floor(rate * QUANTUM_SECONDS));
  }

  /** What an idle link may save up: 100 ms at the cap, a small burst. */
  private capacity(rate: number): number {
    return 10 * this.quantum(rate);
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
