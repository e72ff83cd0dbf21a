import { expect, test } from "bun:test";
import { statusLogEntry } from "./nats.ts";

test("routine connection events are not logged; losing the server warns and getting it back informs", () => {
  expect(statusLogEntry({ type: "ping", pendingPings: 1 })).toBeUndefined();
  expect(statusLogEntry({ type: "update", added: ["b:4222"] })).toBeUndefined();
  expect(statusLogEntry({ type: "disconnect", server: "127.0.0.1:4222" })).toEqual({ level: "warn", fields: { status: "disconnect", server: "127.0.0.1:4222" } });
  expect(statusLogEntry({ type: "reconnect", server: "127.0.0.1:4222" })).toEqual({ level: "info", fields: { status: "reconnect", server: "127.0.0.1:4222" } });
  const error = new Error("permissions violation");
  expect(statusLogEntry({ type: "error", error })).toEqual({ level: "warn", fields: { status: "error", error } });
  expect(statusLogEntry({ type: "reconnecting" })).toEqual({ level: "debug", fields: { status: "reconnecting" } });
});
