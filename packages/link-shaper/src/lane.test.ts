import { expect, test } from "bun:test";
import fc from "fast-check";
import { Lane, type Clock } from "./lane.ts";
import type { DirectionSettings } from "./settings.ts";

/** Time moves only when the test says so; timers run in due order. */
class FakeClock implements Clock {
  time = 0;
  /** Every timer fires this much after it was due, as on a busy machine. */
  lateMs = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private nextId = 1;

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    // Real timers fire no earlier than 1 ms from now.
    this.timers.set(id, { at: this.time + Math.max(1, ms) + this.lateMs, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = Math.max(this.time, due[1].at);
      due[1].fn();
    }
    this.time = end;
  }
}

interface Harness {
  clock: FakeClock;
  lane: Lane;
  settings: DirectionSettings;
  held: { value: boolean };
  /** Each delivered piece with the fake time it left. */
  out: { at: number; bytes: Uint8Array }[];
  deliveredBytes(): number;
}

function harness(settings: Partial<DirectionSettings> = {}, random: () => number = Math.random): Harness {
  const clock = new FakeClock();
  const current: DirectionSettings = { latencyMs: 0, jitterMs: 0, bandwidthBps: 0, ...settings };
  const held = { value: false };
  const out: Harness["out"] = [];
  const lane = new Lane({
    settings: () => current,
    held: () => held.value,
    deliver: (bytes) => out.push({ at: clock.now(), bytes }),
    clock,
    random,
  });
  return { clock, lane, settings: current, held, out, deliveredBytes: () => out.reduce((n, o) => n + o.bytes.length, 0) };
}

const bytes = (n: number, seed = 0) => Uint8Array.from({ length: n }, (_, i) => (i + seed) % 251);

function concat(chunks: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return all;
}

test("an unshaped lane delivers at once, untouched", () => {
  const h = harness();
  h.lane.push(bytes(10));
  expect(h.out).toEqual([{ at: 0, bytes: bytes(10) }]);
  expect(h.lane.queuedBytes).toBe(0);
});

test("latency holds each chunk back by exactly that long", () => {
  const h = harness({ latencyMs: 100 });
  h.lane.push(bytes(10));
  h.clock.advance(50);
  h.lane.push(bytes(5));
  h.clock.advance(49);
  expect(h.out).toEqual([]);
  expect(h.lane.queuedBytes).toBe(15);
  h.clock.advance(1);
  expect(h.out.map((o) => o.at)).toEqual([100]);
  h.clock.advance(50);
  expect(h.out.map((o) => o.at)).toEqual([100, 150]);
  expect(h.lane.queuedBytes).toBe(0);
});

test("a bandwidth cap releases bytes at that rate", () => {
  const h = harness({ bandwidthBps: 80_000 }); // 10,000 bytes/s
  h.lane.push(bytes(50_000));
  h.clock.advance(2_000);
  // 2 s at 10,000 bytes/s, give or take one 10 ms quantum.
  expect(Math.abs(h.deliveredBytes() - 20_000)).toBeLessThanOrEqual(100);
  h.clock.advance(3_100);
  expect(h.deliveredBytes()).toBe(50_000);
  expect(concat(h.out.map((o) => o.bytes))).toEqual(bytes(50_000));
});

test("timers that fire late do not cost a busy link bandwidth", () => {
  const h = harness({ bandwidthBps: 80_000 }); // 10,000 bytes/s
  h.clock.lateMs = 250;
  h.lane.push(bytes(50_000));
  h.clock.advance(3_000);
  // Late wake-ups release everything due since the last one: 3 s at the cap, less at most one late interval.
  expect(h.deliveredBytes()).toBeGreaterThanOrEqual(27_000);
  expect(h.deliveredBytes()).toBeLessThanOrEqual(30_000);
});

test("bandwidth and latency add up: the last byte leaves after its serialisation plus the delay", () => {
  const h = harness({ bandwidthBps: 80_000, latencyMs: 200 });
  h.lane.push(bytes(1_000)); // 100 ms at 10,000 bytes/s
  h.clock.advance(299);
  expect(h.deliveredBytes()).toBeLessThan(1_000);
  h.clock.advance(2);
  expect(h.deliveredBytes()).toBe(1_000);
});

test("jitter never lets a chunk overtake the one ahead of it", () => {
  // Delays alternate between latency + jitter and latency - jitter: without the FIFO rule every second chunk would overtake.
  let flip = false;
  const h = harness({ latencyMs: 50, jitterMs: 40 }, () => ((flip = !flip) ? 1 : 0));
  for (let i = 0; i < 10; i++) {
    h.lane.push(bytes(3, i));
    h.clock.advance(5);
  }
  h.clock.advance(200);
  expect(h.out.map((o) => o.bytes)).toEqual(Array.from({ length: 10 }, (_, i) => bytes(3, i)));
  const times = h.out.map((o) => o.at);
  expect(times).toEqual([...times].sort((a, b) => a - b));
  expect(times[0]).toBe(90);
});

test("lowering the latency mid-stream keeps the order: new chunks wait behind the old ones", () => {
  const h = harness({ latencyMs: 300 });
  h.lane.push(bytes(4, 1));
  h.clock.advance(10);
  h.settings.latencyMs = 0;
  h.lane.pump();
  h.lane.push(bytes(4, 2));
  expect(h.out).toEqual([]);
  h.clock.advance(290);
  expect(h.out.map((o) => [o.at, o.bytes])).toEqual([
    [300, bytes(4, 1)],
    [300, bytes(4, 2)],
  ]);
});

test("hold stalls everything, in flight included, and restore releases it in order", () => {
  const h = harness({ latencyMs: 100 });
  h.lane.push(bytes(4, 1));
  h.clock.advance(50);
  h.held.value = true;
  h.lane.pump();
  h.lane.push(bytes(4, 2));
  h.clock.advance(1_000);
  expect(h.out).toEqual([]);
  expect(h.lane.queuedBytes).toBe(8);
  h.held.value = false;
  h.lane.pump();
  // The first chunk was due during the hold: it leaves now; the second still travels its 100 ms.
  expect(h.out.map((o) => [o.at, o.bytes])).toEqual([[1_050, bytes(4, 1)]]);
  h.clock.advance(100);
  expect(h.out.map((o) => [o.at, o.bytes])).toEqual([
    [1_050, bytes(4, 1)],
    [1_150, bytes(4, 2)],
  ]);
});

test("a hold does not save up bandwidth: after it, bytes flow at the cap, not in a burst", () => {
  const h = harness({ bandwidthBps: 80_000 }); // 10,000 bytes/s
  h.lane.push(bytes(80_000));
  h.clock.advance(500);
  h.held.value = true;
  h.lane.pump();
  h.clock.advance(5_000);
  h.held.value = false;
  h.lane.pump();
  h.clock.advance(1_000);
  // 1.5 s at the cap plus at most one full bucket (100 ms), not five seconds of savings.
  expect(h.deliveredBytes()).toBeGreaterThanOrEqual(14_800);
  expect(h.deliveredBytes()).toBeLessThanOrEqual(16_100);
});

test("close drops what is queued and delivers nothing later", () => {
  const h = harness({ latencyMs: 100 });
  h.lane.push(bytes(10));
  h.lane.close();
  h.clock.advance(500);
  expect(h.out).toEqual([]);
  expect(h.lane.queuedBytes).toBe(0);
});

test("whatever the settings and their changes, every byte arrives once, in order, at non-decreasing times", () => {
  const step = fc.record({
    gapMs: fc.integer({ min: 0, max: 40 }),
    size: fc.integer({ min: 1, max: 3_000 }),
    change: fc.option(
      fc.record({
        latencyMs: fc.integer({ min: 0, max: 200 }),
        jitterMs: fc.integer({ min: 0, max: 100 }),
        bandwidthBps: fc.constantFrom(0, 8_000, 64_000, 1_000_000),
        held: fc.boolean(),
      }),
    ),
  });
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), fc.integer(), (steps, seed) => {
      let state = seed >>> 0;
      const random = () => ((state = (state * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32);
      const h = harness({}, random);
      const sent: Uint8Array[] = [];
      steps.forEach(({ gapMs, size, change }, i) => {
        if (change) {
          const { held, ...values } = change;
          Object.assign(h.settings, values);
          h.held.value = held;
          h.lane.pump();
        }
        const chunk = bytes(size, i);
        sent.push(chunk);
        h.lane.push(chunk);
        h.clock.advance(gapMs);
      });
      Object.assign(h.settings, { bandwidthBps: 0 });
      h.held.value = false;
      h.lane.pump();
      h.clock.advance(10_000);
      const times = h.out.map((o) => o.at);
      return h.lane.queuedBytes === 0 && Buffer.from(concat(h.out.map((o) => o.bytes))).equals(concat(sent)) && times.every((t, i) => i === 0 || t >= times[i - 1]!);
    }),
    { numRuns: 200 },
  );
});
