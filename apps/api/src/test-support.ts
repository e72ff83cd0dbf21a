/** Helpers for the API's integration tests: an in-process API on a test NATS, requests, and the event log. */
import { STREAMS } from "@forecourt/shared/contracts";
import { createLogger, natsAuthOptions, type NatsAuth } from "@forecourt/shared/platform";
import { freePort } from "@forecourt/shared/testing";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type MsgHdrs, type NatsConnection } from "@nats-io/transport-node";
import { startApi, type ApiOptions } from "./api.ts";

/** The dealer every test request writes as, unless it sends its own Authorization header. */
export const TEST_DEALER = "test-dealer";

export interface TestApi {
  nc: NatsConnection;
  api: Awaited<ReturnType<typeof startApi>>;
  /** TEST_DEALER's key, sent on every request that does not set `authorization` itself. */
  key: string;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/** An in-process API on a test NATS (no write rate limit unless asked), with TEST_DEALER signed in. */
export async function startTestApi(url: string, logs: string[] = [], options: Partial<ApiOptions> = {}, auth?: NatsAuth): Promise<TestApi> {
  const nc = await connect({ servers: url, ...natsAuthOptions(auth) });
  const log = createLogger({ service: "api", level: "debug", write: (line) => logs.push(line) });
  const api = await startApi({ nc, log, config: { host: "127.0.0.1", port: await freePort(), demoVehicles: 0, writeRate: { perSecond: 0, burst: 1 }, ...options } });
  const { key } = await api.dealers.ensureKey(TEST_DEALER, testKeys.get(url));
  testKeys.set(url, key);
  return {
    nc,
    api,
    key,
    request(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { authorization: `Bearer ${key}`, ...headers } };
      if (body !== undefined) {
        init.body = typeof body === "string" ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)["content-type"] ??= "application/json";
      }
      return api.http.handle(new Request(`http://localhost${path}`, init));
    },
    async close() {
      await api.stop();
      await nc.drain();
    },
  };
}

/** One key per server, so two test APIs on one NATS both write as TEST_DEALER. */
const testKeys = new Map<string, string>();

export interface StoredEvent {
  seq: number;
  subject: string;
  headers?: MsgHdrs;
  body: Record<string, unknown>;
}

/** Every message in VEHICLES, in order (tests keep the stream small). */
export async function readVehicleEvents(nc: NatsConnection): Promise<StoredEvent[]> {
  const jsm = await jetstreamManager(nc);
  const { state } = await jsm.streams.info(STREAMS.vehicles.name);
  const events: StoredEvent[] = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
    const m = await jsm.streams.getMessage(STREAMS.vehicles.name, { seq });
    // null: a gap (deleted message), which is fine
    if (m) events.push({ seq, subject: m.subject, headers: m.header, body: m.json() });
  }
  return events;
}

export const eventsOf = (events: StoredEvent[], registration: string) => events.filter((e) => e.body.registration === registration);
