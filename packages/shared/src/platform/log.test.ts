import { expect, test } from "bun:test";
import { createLogger } from "./log.ts";
import { inSpan } from "./spans.ts";

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

test("lines inside a span carry its trace and span ids, lines outside none", async () => {
  const { log, lines } = capture();
  const ids = await inSpan("work", {}, (span) => {
    log.info("inside");
    return span.spanContext();
  });
  log.info("outside");
  expect(lines[0]).toMatchObject({ traceId: ids.traceId, spanId: ids.spanId });
  expect(ids.traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(lines[1]!.traceId).toBeUndefined();
  expect(lines[1]!.spanId).toBeUndefined();
});

test("errors and bigints are serialised, child fields are merged", () => {
  const { log, lines } = capture();
  log.child({ consumer: "pricer" }).error("failed", { error: new TypeError("boom"), price: 10n });
  expect(lines[0]).toMatchObject({ consumer: "pricer", error: { name: "TypeError", message: "boom" }, price: "10" });
});

test("an error keeps its stack, its code and its chain of causes", () => {
  const { log, lines } = capture();
  const root = Object.assign(new Error("connection refused"), { code: "ECONNREFUSED" });
  const middle = new Error("catalog unavailable", { cause: root });
  log.error("price failed", { error: new TypeError("pricing failed", { cause: middle }) });
  const error = lines[0]!.error as Record<string, any>;
  expect(error).toMatchObject({ name: "TypeError", message: "pricing failed" });
  expect(error.stack).toContain("log.test.ts");
  expect(error.cause).toMatchObject({ name: "Error", message: "catalog unavailable" });
  expect(error.cause.stack).toContain("log.test.ts");
  expect(error.cause.cause).toMatchObject({ name: "Error", message: "connection refused", code: "ECONNREFUSED" });
  expect(error.cause.cause.cause).toBeUndefined();
});

test("a cause that is not an error is written as it is", () => {
  const { log, lines } = capture();
  log.error("failed", { error: new Error("wrapped", { cause: { status: 503 } }) });
  expect((lines[0]!.error as Record<string, unknown>).cause).toEqual({ status: 503 });
});

test("a cycle of causes stops after five levels", () => {
  const { log, lines } = capture();
  const a = new Error("a");
  const b = new Error("b", { cause: a });
  a.cause = b;
  log.error("failed", { error: a });
  let level: unknown = lines[0]!.error;
  const messages: unknown[] = [];
  while (typeof level === "object" && level !== null) {
    messages.push((level as { message: unknown }).message);
    level = (level as { cause: unknown }).cause;
  }
  expect(messages).toEqual(["a", "b", "a", "b", "a", "b"]);
  expect(level).toBe("(further causes left out)");
});
