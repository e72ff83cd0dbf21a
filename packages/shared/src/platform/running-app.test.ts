import { expect, test } from "bun:test";
import { stopInOrder } from "./running-app.ts";

test("stopInOrder runs every step in order, even past a failing one, then throws that failure", async () => {
  const ran: string[] = [];
  const failure = new Error("listener would not close");
  const stop = stopInOrder([
    () => void ran.push("intake"),
    () => {
      ran.push("consumer");
      throw failure;
    },
    async () => void ran.push("micro"),
  ]);
  await expect(stop()).rejects.toBe(failure);
  expect(ran).toEqual(["intake", "consumer", "micro"]);
});

test("stopInOrder reports several failures together", async () => {
  const stop = stopInOrder([() => Promise.reject(new Error("a")), () => Promise.reject(new Error("b"))]);
  const error = await stop().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AggregateError);
  expect((error as AggregateError).errors.map((e: Error) => e.message)).toEqual(["a", "b"]);
});
