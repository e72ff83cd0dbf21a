import { expect, test } from "bun:test";
import { waitFor } from "./wait.ts";

test("waitFor resolves with the first truthy value the check returns", async () => {
  let calls = 0;
  expect(await waitFor(() => (++calls === 3 ? "ready" : undefined), { intervalMs: 1 })).toBe("ready");
  expect(calls).toBe(3);
});

test("a check that throws is asked again until it answers", async () => {
  let calls = 0;
  const value = await waitFor(
    async () => {
      if (++calls < 3) throw new Error("not yet");
      return calls;
    },
    { intervalMs: 1 },
  );
  expect(value).toBe(3);
});

test("after the timeout waitFor throws, naming what it waited for and the last error", async () => {
  let state = 0;
  const waiting = waitFor(
    () => {
      state++;
      throw new Error("connection refused");
    },
    { timeoutMs: 30, intervalMs: 5, what: () => `the server (tried ${state} times)` },
  );
  const error = (await waiting.catch((e: unknown) => e)) as Error;
  expect(error.message).toStartWith("timed out after 30 ms waiting for the server (tried ");
  expect(error.message).toEndWith(": Error: connection refused");
  expect((error.cause as Error).message).toBe("connection refused");
  expect(state).toBeGreaterThan(1);
});

test("a timeout of zero still asks once", async () => {
  expect(await waitFor(() => 42, { timeoutMs: 0 })).toBe(42);
});
