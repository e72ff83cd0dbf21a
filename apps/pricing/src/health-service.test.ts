import { expect, test } from "bun:test";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { Health, HealthCheckResponse_ServingStatus as Status } from "@forecourt/shared/gen/grpc/health/v1/health_pb";
import { createHealthService } from "./health-service.ts";

function client(isServing: () => Promise<boolean>) {
  const health = createHealthService({ services: ["forecourt.pricing.v1.PriceCalculatorService"], isServing, watchIntervalMs: 5 });
  return createClient(Health, createRouterTransport((router) => router.service(Health, health)));
}

test("Check answers SERVING for the server and its services while ready, NOT_SERVING when not", async () => {
  let ready = true;
  const health = client(async () => ready);
  expect((await health.check({ service: "" })).status).toBe(Status.SERVING);
  expect((await health.check({ service: "forecourt.pricing.v1.PriceCalculatorService" })).status).toBe(Status.SERVING);
  ready = false;
  expect((await health.check({ service: "" })).status).toBe(Status.NOT_SERVING);
});

test("Check of a service the server does not have answers NOT_FOUND", async () => {
  const error = await client(async () => true)
    .check({ service: "no.such.Service" })
    .then(() => undefined, ConnectError.from);
  expect(error?.code).toBe(Code.NotFound);
});

test("Watch sends the status at once and then only its changes", async () => {
  const answers = [true, true, false, false, true];
  let asked = 0;
  const health = client(async () => answers[Math.min(asked++, answers.length - 1)]!);
  const seen: Status[] = [];
  const abort = new AbortController();
  try {
    for await (const answer of health.watch({ service: "" }, { signal: abort.signal })) {
      seen.push(answer.status);
      if (seen.length === 3) abort.abort();
    }
  } catch (error) {
    if (ConnectError.from(error).code !== Code.Canceled) throw error;
  }
  expect(seen).toEqual([Status.SERVING, Status.NOT_SERVING, Status.SERVING]);
});

test("Watch of an unknown service answers SERVICE_UNKNOWN instead of failing", async () => {
  const abort = new AbortController();
  const health = client(async () => true);
  let first: Status | undefined;
  try {
    for await (const answer of health.watch({ service: "no.such.Service" }, { signal: abort.signal })) {
      first = answer.status;
      abort.abort();
    }
  } catch (error) {
    if (ConnectError.from(error).code !== Code.Canceled) throw error;
  }
  expect(first).toBe(Status.SERVICE_UNKNOWN);
});
