import { expect, test } from "bun:test";
import { freshCheck } from "./fresh-check.ts";

/** A fake server: each question is answered when the test says, with the "last sequence" at the time it was asked. */
function fakeServer() {
  let sequence = 0;
  const pending: { askedAt: number; answer: (n: number) => void; fail: (e: Error) => void }[] = [];
  return {
    write: () => ++sequence,
    ask: () => new Promise<number>((answer, fail) => pending.push({ askedAt: sequence, answer, fail })),
    answerNext: async () => {
      const q = pending.shift()!;
      q.answer(q.askedAt);
      await Bun.sleep(0);
    },
    failNext: async () => {
      pending.shift()!.fail(new Error("timeout"));
      await Bun.sleep(0);
    },
    get asked() {
      return pending.length;
    },
  };
}

test("callers while a question is out share the next one, and nobody gets an answer asked before their call", async () => {
  const server = fakeServer();
  const lastSequence = freshCheck(server.ask);
  const first = lastSequence();
  expect(server.asked).toBe(1);
  server.write(); // acknowledged after the first question went out
  const later = [lastSequence(), lastSequence(), lastSequence()];
  expect(server.asked).toBe(1);
  await server.answerNext();
  expect(await first).toBe(0);
  expect(server.asked).toBe(1);
  await server.answerNext();
  for (const answer of later) expect(await answer).toBe(1);
});

test("with nothing out, a call asks at once", async () => {
  const server = fakeServer();
  const lastSequence = freshCheck(server.ask);
  const a = lastSequence();
  await server.answerNext();
  expect(await a).toBe(0);
  server.write();
  const b = lastSequence();
  expect(server.asked).toBe(1);
  await server.answerNext();
  expect(await b).toBe(1);
});

test("a failed question fails its callers only; the next callers ask again", async () => {
  const server = fakeServer();
  const lastSequence = freshCheck(server.ask);
  const failing = lastSequence();
  const waiting = lastSequence();
  server.write();
  await server.failNext();
  await expect(failing).rejects.toThrow("timeout");
  expect(server.asked).toBe(1);
  await server.answerNext();
  expect(await waiting).toBe(1);
});
