import { expect, test } from "bun:test";
import type { JsMsg } from "@nats-io/jetstream";
import { readAll } from "./jetstream.ts";

/** A consumer's iterator that yields the given messages, then waits (as one pulling from a dead leader does) until stopped. */
function stallingMessages(messages: { seq: number; pending: number }[]) {
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  return {
    stop,
    async *[Symbol.asyncIterator]() {
      for (const { seq, pending } of messages) yield { seq, info: { pending } } as unknown as JsMsg;
      await stopped;
    },
  };
}

test("a read that stops getting messages before the last one throws after the stall time, saying how far it got", async () => {
  const started = performance.now();
  const read = readAll(stallingMessages([{ seq: 1, pending: 2 }, { seq: 2, pending: 1 }]), (m) => [m.seq], "VEHICLES", 100);
  await expect(read).rejects.toThrow("reading VEHICLES got no message for 0.1 s after 2 message(s)");
  expect(performance.now() - started).toBeLessThan(5_000);
});

test("a read ends at the message with nothing pending after it, and gives every message taken", async () => {
  expect(await readAll(stallingMessages([{ seq: 1, pending: 1 }, { seq: 2, pending: 0 }]), (m) => [m.seq], "VEHICLES", 100)).toEqual([1, 2]);
});
