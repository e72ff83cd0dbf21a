import { expect, test } from "bun:test";
import { headers } from "@nats-io/transport-node";
import { messageTrace, statusLogEntry, traceFromHeaders } from "./nats.ts";

test("routine connection events are not logged; losing the server warns and getting it back informs", () => {
  expect(statusLogEntry({ type: "ping", pendingPings: 1 })).toBeUndefined();
  expect(statusLogEntry({ type: "update", added: ["b:4222"] })).toBeUndefined();
  expect(statusLogEntry({ type: "disconnect", server: "127.0.0.1:4222" })).toEqual({ level: "warn", fields: { status: "disconnect", server: "127.0.0.1:4222" } });
  expect(statusLogEntry({ type: "reconnect", server: "127.0.0.1:4222" })).toEqual({ level: "info", fields: { status: "reconnect", server: "127.0.0.1:4222" } });
  const error = new Error("permissions violation");
  expect(statusLogEntry({ type: "error", error })).toEqual({ level: "warn", fields: { status: "error", error } });
  expect(statusLogEntry({ type: "reconnecting" })).toEqual({ level: "debug", fields: { status: "reconnecting" } });
});

test("a message's own trace is read as it is; continuing it keeps the trace id under a new span", () => {
  const h = headers();
  h.set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  expect(messageTrace(h)).toEqual({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", sampled: true });
  const continued = traceFromHeaders(h);
  expect(continued.traceId).toBe("0af7651916cd43dd8448eb211c80319c");
  expect(continued.spanId).not.toBe("b7ad6b7169203331");
  expect(messageTrace(undefined)).toBeUndefined();
});
