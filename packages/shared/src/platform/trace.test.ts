import { expect, test } from "bun:test";
import { childSpan, currentTrace, formatTraceparent, parseTraceparent, withTrace } from "./trace.ts";

const VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

test("a valid traceparent round-trips", () => {
  const ctx = parseTraceparent(VALID);
  expect(ctx).toEqual({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", sampled: true });
  expect(formatTraceparent(ctx!)).toBe(VALID);
});

test("malformed, version ff and all-zero traceparents are ignored", () => {
  for (const bad of ["", "garbage", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", `00-${"0".repeat(32)}-00f067aa0ba902b7-01`, `00-4bf92f3577b34da6a3ce929d0e0e4736-${"0".repeat(16)}-01`]) {
    expect(parseTraceparent(bad)).toBeUndefined();
  }
});

test("a child span keeps the trace id and gets a new span id", () => {
  const parent = parseTraceparent(VALID)!;
  const child = childSpan(parent);
  expect(child.traceId).toBe(parent.traceId);
  expect(child.spanId).not.toBe(parent.spanId);
  expect(childSpan().traceId).toMatch(/^[0-9a-f]{32}$/);
});

test("the current trace follows async work inside withTrace", async () => {
  const ctx = childSpan();
  const seen = await withTrace(ctx, async () => {
    await Bun.sleep(1);
    return currentTrace()?.traceId;
  });
  expect(seen).toBe(ctx.traceId);
  expect(currentTrace()).toBeUndefined();
});
