import { expect, test } from "bun:test";
import { headers } from "@nats-io/transport-node";
import { buildDeadLetter, DLQ_HEADERS, readDeadLetter, redriveHeaders } from "./dead-letter.ts";

function original() {
  const h = headers();
  h.set("Nats-Msg-Id", "listed:AB12CDE");
  h.set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  return h;
}

const source = { subject: "forecourt.vehicles.listed.ford.ford-fiesta.local", headers: original(), stream: "VEHICLES", streamSequence: 42, consumer: "pricer", deliveries: 10 };

test("a dead letter goes to forecourt.deadletter.<consumer>.<original subject>", () => {
  expect(buildDeadLetter(source, "boom").subject).toBe("forecourt.deadletter.pricer.forecourt.vehicles.listed.ford.ford-fiesta.local");
});

test("a dead letter keeps the original headers and records reason, origin and deliveries", () => {
  const at = new Date("2026-11-28T10:00:00.000Z");
  const { headers: h } = buildDeadLetter(source, "price calculator unavailable", at);
  expect(h.get("traceparent")).toBe("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  expect(h.get(DLQ_HEADERS.reason)).toBe("price calculator unavailable");
  expect(h.get(DLQ_HEADERS.subject)).toBe(source.subject);
  expect(h.get(DLQ_HEADERS.sequence)).toBe("42");
  expect(h.get(DLQ_HEADERS.deliveries)).toBe("10");
  expect(h.get(DLQ_HEADERS.at)).toBe(at.toISOString());
  expect(h.get(DLQ_HEADERS.msgId)).toBe("listed:AB12CDE");
  expect(h.has("Nats-Msg-Id")).toBe(false);
});

test("a multi-line reason is flattened so it fits in a header", () => {
  const { headers: h } = buildDeadLetter(source, "first\r\nsecond\nthird");
  expect(h.get(DLQ_HEADERS.reason)).toBe("first second third");
});

test("dead-lettering one stream message again, even on a later delivery, yields the same dedup id", () => {
  expect(buildDeadLetter(source, "a").msgId).toBe(buildDeadLetter({ ...source, deliveries: 11 }, "b").msgId);
  expect(buildDeadLetter({ ...source, streamSequence: 43 }, "a").msgId).not.toBe(buildDeadLetter(source, "a").msgId);
});

test("a stored dead letter reads back as a listing record", () => {
  const dl = buildDeadLetter(source, "model not found", new Date("2026-11-28T10:00:00.000Z"));
  expect(readDeadLetter(7, dl.subject, dl.headers, new Date())).toEqual({
    id: 7,
    subject: source.subject,
    consumer: "pricer",
    reason: "model not found",
    deliveries: 10,
    originalStream: "VEHICLES",
    originalSequence: 42,
    at: "2026-11-28T10:00:00.000Z",
  });
});

test("redrive restores the original headers under a new message id", () => {
  const dl = buildDeadLetter(source, "boom");
  const { headers: h, msgId } = redriveHeaders(dl.headers, 7);
  expect(h.get("traceparent")).toBe(source.headers.get("traceparent"));
  expect([...h].map(([key]) => key)).toEqual(["traceparent"]);
  expect(msgId).toBe("redrive:7:listed:AB12CDE");
  expect(redriveHeaders(dl.headers, 8).msgId).not.toBe(msgId);
});
