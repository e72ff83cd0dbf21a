import { describe, expect, test } from "bun:test";
import { JetStreamApiError } from "@nats-io/jetstream";
import { isAlreadyExists, isConsumerNotFound, isStreamNotFound, isWrongLastSequence, JS_API_CODES } from "./nats-errors.ts";

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
