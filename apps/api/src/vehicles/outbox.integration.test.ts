import { afterAll, beforeAll, expect, test } from "bun:test";
import { BUCKETS } from "@forecourt/shared/contracts";
import { freePort, startApp, startNatsServer, waitFor, type AppProcess, type TestNatsServer } from "@forecourt/shared/testing";
import { jetstream } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { join } from "node:path";
import { DealerStore, openDealersBucket } from "../dealers/dealer-store.ts";
import { eventsOf, readVehicleEvents } from "../test-support.ts";
import type { StoredVehicle } from "./stored-vehicle.ts";

const MAIN = join(import.meta.dir, "..", "main.ts");
let server: TestNatsServer;
let nc: NatsConnection;
let key: string;
const apps: AppProcess[] = [];

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  key = await new DealerStore(await openDealersBucket(jetstream(nc))).add("outbox-test");
});
afterAll(async () => {
  for (const app of apps) await app.kill("SIGKILL");
  await nc?.close();
  await server?.dispose();
});

async function start(env: Record<string, string> = {}) {
  const port = await freePort();
  const app = await startApp(MAIN, { NATS_URL: server.url, API_PORT: String(port), DEMO_VEHICLES: "0", ...env });
  apps.push(app);
  return { app, base: `http://127.0.0.1:${port}` };
}

async function stored(registration: string): Promise<StoredVehicle | undefined> {
  const kv = await new Kvm(nc).open(BUCKETS.vehicles);
  const entry = await kv.get(registration);
  return entry?.operation === "PUT" ? entry.json<StoredVehicle>() : undefined;
}

for (const [point, publishedBeforeDeath] of [["vehicle-write", 0], ["event-publish", 1]] as const) {
  test(`an API killed right after the ${point} step delivers the listed event exactly once after a restart`, async () => {
    const registration = point === "vehicle-write" ? "KILL1" : "KILL2";
    const doomed = await start({ API_CRASH_AFTER: point });
    const answer = await fetch(`${doomed.base}/api/vehicles`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ registration, modelCode: "ford-fiesta", color: "Red", year: 2019 }),
    }).then((r) => r.status, () => "no answer");
    expect(answer).toBe("no answer");
    await doomed.app.proc.exited;
    expect(doomed.app.proc.signalCode).toBe("SIGKILL");

    // The car and the event it owes were written together; the event may or may not have gone out.
    expect((await stored(registration))?.pending?.kind).toBe("listed");
    expect(eventsOf(await readVehicleEvents(nc), registration)).toHaveLength(publishedBeforeDeath);

    const restarted = await start();
    await waitFor(async () => (await stored(registration)) && !(await stored(registration))!.pending, { what: "the owed event to be delivered" });
    const events = eventsOf(await readVehicleEvents(nc), registration);
    expect(events.map((e) => e.subject)).toEqual(["forecourt.vehicles.listed.ford.ford-fiesta.local"]);
    expect((await fetch(`${restarted.base}/api/vehicles/${registration}`)).status).toBe(200);
    await restarted.app.kill();
  });
}

test("a running instance delivers the event a peer owed when it was killed, within a sweep or two", async () => {
  const survivor = await start();
  const doomed = await start({ API_CRASH_AFTER: "vehicle-write" });
  const answer = await fetch(`${doomed.base}/api/vehicles`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ registration: "KILL3", modelCode: "ford-focus", color: "Blue", year: 2020 }),
  }).then((r) => r.status, () => "no answer");
  expect(answer).toBe("no answer");
  await doomed.app.proc.exited;
  expect((await stored("KILL3"))?.pending?.kind).toBe("listed");

  await waitFor(async () => (await stored("KILL3")) && !(await stored("KILL3"))!.pending, { what: "the survivor to deliver the owed event", timeoutMs: 15_000 });
  expect(eventsOf(await readVehicleEvents(nc), "KILL3").map((e) => e.subject)).toEqual(["forecourt.vehicles.listed.ford.ford-focus.local"]);
  // Log lines are written in batches (up to 5 ms after they are logged), so the line may follow the KV write.
  await survivor.app.waitForLog((line) => line.msg === "owed events delivered", 5_000);
  await survivor.app.kill();
}, 30_000);
