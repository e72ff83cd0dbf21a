import { expect, test } from "bun:test";
import { ACK_EVERY_FRAMES } from "../../apps/web/src/page/connection.ts";
import { createFeedAcks } from "./feed-acks.ts";

test("every hundredth vehicle frame is acknowledged at once and the rest shortly after, each ack naming the highest sequence read", () => {
  const sent: unknown[] = [];
  const timers: (() => void)[] = [];
  const onFrame = createFeedAcks((message) => sent.push(JSON.parse(message)), (fn) => timers.push(fn));
  for (let seq = 1; seq <= ACK_EVERY_FRAMES * 2 + 5; seq++) onFrame(`{"type":"vehicle","seq":${seq},"event":"listed","vehicle":{}}`);
  expect(sent).toEqual([{ type: "ack", seq: ACK_EVERY_FRAMES }, { type: "ack", seq: ACK_EVERY_FRAMES * 2 }]);
  for (const fire of timers.splice(0)) fire();
  expect(sent.at(-1)).toEqual({ type: "ack", seq: ACK_EVERY_FRAMES * 2 + 5 });
  expect(sent).toHaveLength(3);
});
