import { afterAll, expect, test } from "bun:test";
import { freePort, isPortFree, portAnswers } from "./ports.ts";

const listeners: { stop(closeActive?: boolean): void }[] = [];
afterAll(() => listeners.forEach((l) => l.stop(true)));

test("free ports lie below the ephemeral range, differ from each other and can be bound", async () => {
  const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
  expect(new Set(ports).size).toBe(20);
  for (const port of ports) {
    expect(port).toBeGreaterThanOrEqual(20_000);
    expect(port).toBeLessThan(32_768);
    listeners.push(Bun.listen({ hostname: "127.0.0.1", port, socket: { data() {} } }));
  }
});

test("a port something listens on is not free, and answers", async () => {
  const port = await freePort();
  expect(await isPortFree(port)).toBe(true);
  expect(await portAnswers(port)).toBe(false);
  listeners.push(Bun.listen({ hostname: "127.0.0.1", port, socket: { data() {} } }));
  expect(await isPortFree(port)).toBe(false);
  expect(await portAnswers(port)).toBe(true);
});
