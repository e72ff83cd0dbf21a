import { expect, test } from "bun:test";
import { JetStreamApiError } from "@nats-io/jetstream";
import { jserrors } from "@nats-io/jetstream/internal";
import { errors } from "@nats-io/transport-node";
import { JS_API_CODES } from "./nats-errors.ts";
import { DependencyUnavailableError, isNatsUnavailable, JS_UNAVAILABLE_CODES } from "./nats-unavailable.ts";

const apiError = (err_code: number, description = "whatever the server says") => new JetStreamApiError({ err_code, code: 503, description });

test("disconnects, timeouts, missing responders and a JetStream not ready count as unavailable", () => {
  const noResponders = new errors.RequestError("no responders", { cause: new errors.NoRespondersError("$JS.API.INFO") });
  for (const error of [
    new errors.TimeoutError(),
    new errors.ConnectionError("connection refused"),
    new errors.ClosedConnectionError(),
    new errors.DrainingConnectionError(),
    new errors.RequestError("connection disconnected"),
    noResponders,
    new jserrors.JetStreamNotEnabled("jetstream is not enabled", { cause: noResponders }),
    new DependencyUnavailableError("KV bucket vehicles is missing"),
    ...Object.values(JS_UNAVAILABLE_CODES).map((code) => apiError(code)),
  ]) {
    expect([error.name, isNatsUnavailable(error)]).toEqual([error.name, true]);
  }
});

test("an unavailable cause a few levels down still counts", () => {
  const wrapped = new Error("price not recorded", { cause: new Error("kv get failed", { cause: new errors.TimeoutError() }) });
  expect(isNatsUnavailable(wrapped)).toBe(true);
});

test("bugs, refusals and permission errors are not unavailability", () => {
  for (const error of [
    new Error("timeout"),
    new TypeError("cannot read properties of undefined"),
    apiError(JS_API_CODES.StreamWrongLastSequence),
    apiError(JS_API_CODES.StreamNotFound),
    apiError(10003, "JetStream system temporarily unavailable"),
    new errors.RequestError("permissions violation", { cause: new errors.PermissionViolationError("denied", "publish", "x") }),
    new errors.InvalidSubjectError("a b"),
  ]) {
    expect([error.message, isNatsUnavailable(error)]).toEqual([error.message, false]);
  }
  for (const value of [undefined, null, "timeout", { name: "TimeoutError" }]) expect(isNatsUnavailable(value)).toBe(false);
});
