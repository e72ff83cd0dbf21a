import { expect, test } from "bun:test";
import { parseClientMessage } from "./protocol.ts";

test("a subscribe names a manufacturer, a participant and the last sequence seen, all optional", () => {
  expect(parseClientMessage('{"type":"subscribe","manufacturer":"ford","participant":"alice","after":41}')).toEqual({ ok: true, message: { type: "subscribe", manufacturer: "ford", participant: "alice", after: 41 } });
  expect(parseClientMessage({ type: "subscribe" })).toEqual({ ok: true, message: { type: "subscribe", manufacturer: null, participant: null, after: null } });
  expect(parseClientMessage({ type: "ping" })).toEqual({ ok: true, message: { type: "ping" } });
});

test("frames that are not JSON objects with a known type are refused with a reason", () => {
  for (const frame of ["{oops", "[]", 42, null, new Uint8Array([1]), { type: "dance" }, {}]) {
    const result = parseClientMessage(frame);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.length).toBeGreaterThan(5);
  }
});

test("a manufacturer that could widen the subject filter is refused", () => {
  for (const manufacturer of ["ford.>", "*", ">", "Ford Motor", "", 7]) {
    expect(parseClientMessage({ type: "subscribe", manufacturer }).ok).toBe(false);
  }
});

test("a participant that could widen the subject filter is refused", () => {
  for (const participant of ["alice.>", "*", ">", "Alice", "", "a".repeat(21), 7]) {
    expect(parseClientMessage({ type: "subscribe", participant }).ok).toBe(false);
  }
});

test("after must be a whole sequence number", () => {
  for (const after of [-1, 1.5, "12", Number.MAX_VALUE]) expect(parseClientMessage({ type: "subscribe", after }).ok).toBe(false);
  expect(parseClientMessage({ type: "subscribe", after: 0 }).ok).toBe(true);
});

test("an ack names the last sequence the page applied", () => {
  expect(parseClientMessage('{"type":"ack","seq":1200}')).toEqual({ ok: true, message: { type: "ack", seq: 1200 } });
  for (const seq of [undefined, -1, 1.5, "12", null]) expect(parseClientMessage({ type: "ack", seq }).ok).toBe(false);
});
