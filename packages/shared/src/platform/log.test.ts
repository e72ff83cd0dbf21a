import { expect, test } from "bun:test";
import { createLogger } from "./log.ts";
import { childSpan, withTrace } from "./trace.ts";

function capture(level?: "debug" | "info" | "warn" | "error") {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ service: "test", level, write: (line) => lines.push(JSON.parse(line)) });
  return { log, lines };
}

test("each line is one JSON object with time, level, service, msg and fields", () => {
  const { log, lines } = capture();
  log.info("vehicle priced", { registration: "AB12CDE", durationMs: 3 });
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ level: "info", service: "test", msg: "vehicle priced", registration: "AB12CDE", durationMs: 3 });
  expect(Date.parse(String(lines[0]!.time))).not.toBeNaN();
});

test("lines below the level are dropped", () => {
  const { log, lines } = capture("warn");
  log.info("quiet");
  log.warn("loud");
  expect(lines.map((l) => l.msg)).toEqual(["loud"]);
});

test("lines inside a trace carry its trace id", () => {
  const { log, lines } = capture();
  const ctx = childSpan();
  withTrace(ctx, () => log.info("inside"));
  log.info("outside");
  expect(lines[0]!.traceId).toBe(ctx.traceId);
  expect(lines[1]!.traceId).toBeUndefined();
});

test("errors and bigints are serialised, child fields are merged", () => {
  const { log, lines } = capture();
  log.child({ consumer: "pricer" }).error("failed", { error: new TypeError("boom"), price: 10n });
  expect(lines[0]).toMatchObject({ consumer: "pricer", error: { name: "TypeError", message: "boom" }, price: "10" });
});
