import { expect, test } from "bun:test";
import { formatLine } from "./format.ts";

const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

test("a JSON log line becomes the app's name, the level, the message, then every other field as key=value", () => {
  const line = JSON.stringify({ time: "2026-11-28T18:00:00.000Z", level: "info", service: "api", msg: "request", method: "GET", status: 200, nested: { a: 1 }, empty: "" });
  expect(strip(formatLine("api", "\x1b[36m", 9, line))).toBe("api       │ info  request method=GET status=200 nested={\"a\":1} empty=");
});

test("levels are coloured, and a line with no other fields has none", () => {
  const line = JSON.stringify({ time: "t", level: "error", service: "web", msg: "fanout failed" });
  expect(formatLine("web", "", 3, line)).toBe("web\x1b[0m │ \x1b[31merror fanout failed\x1b[0m");
});

test("anything that is not a JSON log line is passed through behind the prefix", () => {
  expect(strip(formatLine("nats", "\x1b[90m", 4, "[123] 2026/11/28 [INF] Server is ready"))).toBe("nats │ [123] 2026/11/28 [INF] Server is ready");
  expect(strip(formatLine("nats", "", 4, '{"no":"msg"}'))).toBe('nats │ {"no":"msg"}');
  expect(strip(formatLine("nats", "", 4, "42"))).toBe("nats │ 42");
});
