import { describe, expect, test } from "bun:test";
import { JetStreamApiError } from "@nats-io/jetstream";
import { NoRespondersError, RequestError, TimeoutError } from "@nats-io/transport-node";
import { isAlreadyExists, isConsumerNotFound, isNoResponders, isStreamNotFound, isWrongLastSequence, JS_API_CODES } from "./nats-errors.ts";
import { isNatsUnavailable } from "./nats-unavailable.ts";

const apiError = (err_code: number, description = "whatever the server says") => new JetStreamApiError({ err_code, code: 400, description });

const predicates = { isStreamNotFound, isConsumerNotFound, isAlreadyExists, isWrongLastSequence };
const codes: Record<keyof typeof predicates, number[]> = {
  isStreamNotFound: [JS_API_CODES.StreamNotFound],
  isConsumerNotFound: [JS_API_CODES.ConsumerNotFound],
  isAlreadyExists: [JS_API_CODES.StreamNameExists, JS_API_CODES.ConsumerNameExists, JS_API_CODES.ConsumerExistingActive, JS_API_CODES.ConsumerAlreadyExists],
  isWrongLastSequence: [JS_API_CODES.StreamWrongLastSequence, JS_API_CODES.StreamWrongLastSequenceUnknown],
};
const allCodes = Object.values(codes).flat();

describe("JetStream error predicates", () => {
  for (const [name, predicate] of Object.entries(predicates) as [keyof typeof predicates, (e: unknown) => boolean][]) {
    test(`${name} recognises its codes and no other`, () => {
      for (const code of allCodes) expect(predicate(apiError(code))).toBe(codes[name].includes(code));
      expect(predicate(apiError(10003))).toBe(false);
      expect(predicate(apiError(JS_API_CODES.NoMessageFound))).toBe(false);
    });
  }

  test("the server's wording plays no part: a plain Error with the old message text matches nothing", () => {
    for (const text of ["stream not found", "consumer not found", "no message found", "stream name already in use", "consumer already exists", "wrong last sequence: 4", "key exists"]) {
      for (const predicate of Object.values(predicates)) expect(predicate(new Error(text))).toBe(false);
    }
    expect(isStreamNotFound(apiError(JS_API_CODES.StreamNotFound, "a description the server never sends"))).toBe(true);
  });

  test("anything that is not an error matches nothing", () => {
    for (const value of [undefined, null, 10059, "stream not found", { code: 10059 }]) {
      for (const predicate of Object.values(predicates)) expect(predicate(value)).toBe(false);
    }
  });
});

test("NATS is unavailable when nobody answered, nobody answered in time, or JetStream said 503, however deep the cause", () => {
  const noResponders = new RequestError("no responders: '$KV.vehicles.A1'", { cause: new NoRespondersError("$KV.vehicles.A1") });
  // What a KV write throws while its stream elects a leader (the 3.x client's JetStreamNotEnabled is not exported).
  expect(isNatsUnavailable(new Error("jetstream is not enabled", { cause: noResponders }))).toBe(true);
  expect(isNatsUnavailable(new TimeoutError())).toBe(true);
  expect(isNatsUnavailable(new JetStreamApiError({ err_code: 10008, code: 503, description: "JetStream system temporarily unavailable" }))).toBe(true);
  expect(isNatsUnavailable(apiError(JS_API_CODES.StreamWrongLastSequence))).toBe(false);
  expect(isNatsUnavailable(new Error("boom", { cause: new Error("still boom") }))).toBe(false);
  expect(isNatsUnavailable("timeout")).toBe(false);
});

test("no responders is told apart from a timeout, whose write may have landed", () => {
  const noResponders = new RequestError("no responders", { cause: new NoRespondersError("$KV.vehicles.A1") });
  expect(isNoResponders(new Error("jetstream is not enabled", { cause: noResponders }))).toBe(true);
  expect(isNoResponders(new TimeoutError())).toBe(false);
});
