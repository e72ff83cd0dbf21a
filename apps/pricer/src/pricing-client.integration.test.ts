/** The pricer's NATS transport against real responders on a real nats-server: answers, refusals and absence. */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { connect, headers, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { PARTICIPANT_HEADER, SUBJECTS } from "@forecourt/shared/contracts";
import { createLogger } from "@forecourt/shared/platform";
import { startNatsServer, type TestNatsServer } from "@forecourt/shared/testing";
import { loadConfig } from "./config.ts";
import { createConfiguredPricing } from "./configured-pricing.ts";
import { createNatsGetPrice, isPermanentPricingError } from "./pricing-client.ts";

let nats: TestNatsServer;
let nc: NatsConnection;
const car = { modelCode: "ford-fiesta", color: "Blue", year: 2015 };

beforeAll(async () => {
  nats = await startNatsServer({ jetstream: false });
  nc = await connect({ servers: nats.url });
});
afterAll(async () => {
  await nc?.close();
  await nats?.dispose();
});

async function responder(answer: (body: unknown, reply: (data: string, h?: Record<string, string>) => void) => void): Promise<Subscription> {
  const sub = nc.subscribe(SUBJECTS.getPrice, {
    queue: "q",
    callback: (_, m) =>
      answer(m.json(), (data, extra = {}) => {
        const h = headers();
        for (const [key, value] of Object.entries(extra)) h.set(key, value);
        m.respond(data, { headers: h });
      }),
  });
  await nc.flush();
  return sub;
}

async function failure(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ConnectError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

test("the answer's price and the participant that gave it come back as the quote", async () => {
  const sub = await responder((body, reply) => {
    expect(body).toEqual(car);
    reply('{"price":"4560","currencyCode":"GBP"}', { [PARTICIPANT_HEADER]: "bob" });
  });
  try {
    expect(await createNatsGetPrice(nc, 2_000)(car)).toEqual({ price: 4560, currencyCode: "GBP", pricedBy: "bob" });
  } finally {
    sub.unsubscribe();
  }
});

test("an unknown model or bad input is permanent; a calculator bug is retried", async () => {
  for (const [status, code, permanent] of [["404", Code.NotFound, true], ["400", Code.InvalidArgument, true], ["500", Code.Internal, false]] as const) {
    const sub = await responder((_, reply) => reply("", { "Nats-Service-Error-Code": status, "Nats-Service-Error": `refused ${status}` }));
    try {
      const error = await failure(createNatsGetPrice(nc, 2_000)(car));
      expect(error.code).toBe(code);
      expect(isPermanentPricingError(error)).toBe(permanent);
    } finally {
      sub.unsubscribe();
    }
  }
});

test("no calculator anywhere, or none in time, is retried (Unavailable, DeadlineExceeded)", async () => {
  const none = await failure(createNatsGetPrice(nc, 2_000)(car));
  expect(none.code).toBe(Code.Unavailable);
  expect(isPermanentPricingError(none)).toBe(false);
  const sub = await responder(() => {});
  try {
    const slow = await failure(createNatsGetPrice(nc, 300)(car));
    expect(slow.code).toBe(Code.DeadlineExceeded);
  } finally {
    sub.unsubscribe();
  }
});

test("an answer that is not a GetPriceResponse is an internal error, retried", async () => {
  const sub = await responder((_, reply) => reply("not json"));
  try {
    const error = await failure(createNatsGetPrice(nc, 2_000)(car));
    expect(error.code).toBe(Code.Internal);
  } finally {
    sub.unsubscribe();
  }
});

test("PRICING_TRANSPORT=nats asks car by car (no GetPrices over NATS), even for cars priced at once", async () => {
  const asked: unknown[] = [];
  const sub = await responder((body, reply) => {
    asked.push(body);
    reply(JSON.stringify({ price: String((body as { year: number }).year), currencyCode: "GBP" }), { [PARTICIPANT_HEADER]: "bob" });
  });
  const { getPrice, pool } = createConfiguredPricing(nc, loadConfig({ PRICING_TRANSPORT: "nats", PRICING_TIMEOUT_MS: "2000" }), createLogger({ service: "test", level: "error" }));
  expect(pool).toBeUndefined();
  const quotes = await Promise.all([2014, 2015, 2016].map((year) => getPrice({ ...car, year })));
  expect(quotes.map((q) => [q.price, q.pricedBy])).toEqual([[2014, "bob"], [2015, "bob"], [2016, "bob"]]);
  expect(asked).toHaveLength(3);
  sub.unsubscribe();
});
