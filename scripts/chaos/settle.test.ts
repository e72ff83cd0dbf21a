import { expect, test } from "bun:test";
import { settle } from "./settle.ts";

test("a look that fails while JetStream re-elects is tried again, and the run settles once it answers", async () => {
  let looks = 0;
  const result = await settle({
    look: async () => {
      looks += 1;
      if (looks === 1) throw new Error("TimeoutError: timeout");
      return { lost: 0 };
    },
    busy: async () => undefined,
    passed: (v) => v.lost === 0,
    settleMs: 1_000,
    pauseMs: 1,
  });
  expect(result).toEqual({ verdict: { lost: 0 }, settled: true });
  expect(looks).toBe(2);
});

test("work still pending when the time runs out is reported with the last verdict", async () => {
  const result = await settle({ look: async () => ({ lost: 0 }), busy: async () => "audit-log: 3 pending", passed: () => true, settleMs: 20, pauseMs: 5 });
  expect(result).toEqual({ verdict: { lost: 0 }, settled: false, still: "audit-log: 3 pending" });
});

test("when no look ever answered, the last error is thrown", async () => {
  const failing = settle({ look: async () => { throw new Error("no responders"); }, busy: async () => undefined, passed: () => true, settleMs: 20, pauseMs: 5 });
  await expect(failing).rejects.toThrow("no responders");
});

test("while it waits, it says every so often what it waits for: what the verdict lacks, and which consumer is busy", async () => {
  const lines: string[] = [];
  let looks = 0;
  const result = await settle({
    look: async () => ({ lost: ++looks < 4 ? 2 : 0 }),
    busy: async () => (looks < 6 ? "audit-log: 3 pending" : undefined),
    passed: (v) => v.lost === 0,
    lacking: (v) => `lost ${v.lost}`,
    settleMs: 5_000,
    pauseMs: 10,
    progress: (line) => lines.push(line),
    progressEveryMs: 0,
  });
  expect(result.settled).toBe(true);
  expect(lines[0]).toMatch(/^still settling after \d+ s: verdict: lost 2; audit-log: 3 pending$/);
  expect(lines.at(-1)).toMatch(/^still settling after \d+ s: audit-log: 3 pending$/);
  expect(lines.length).toBe(5);
});
