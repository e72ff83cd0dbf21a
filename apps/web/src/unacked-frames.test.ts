import { expect, test } from "bun:test";
import { UnackedFrames } from "./unacked-frames.ts";

test("frames count as unacknowledged until an ack at or above their sequence", () => {
  const frames = new UnackedFrames(3);
  for (const seq of [10, 12, 15]) frames.sent(seq);
  expect(frames.count).toBe(3);
  expect(frames.full).toBe(true);
  frames.ack(11);
  expect(frames.count).toBe(2);
  expect(frames.full).toBe(false);
  frames.ack(9);
  expect(frames.count).toBe(2);
  frames.ack(15);
  expect(frames.count).toBe(0);
  frames.ack(100);
  expect(frames.count).toBe(0);
});

test("a long stream of sends and acks keeps the count exact", () => {
  const frames = new UnackedFrames(2_000);
  let acked = 0;
  for (let seq = 1; seq <= 50_000; seq++) {
    frames.sent(seq);
    if (seq % 7 === 0) frames.ack((acked = seq - 3));
    expect(frames.count).toBe(seq - acked);
  }
});

test("a reset forgets the old subscription's frames", () => {
  const frames = new UnackedFrames(2);
  frames.sent(5);
  frames.sent(6);
  frames.reset();
  expect(frames.count).toBe(0);
  frames.sent(1);
  frames.ack(1);
  expect(frames.count).toBe(0);
});
