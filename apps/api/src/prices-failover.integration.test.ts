import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { CONSUMERS, DEFAULT_PARTICIPANT, encodeEvent, STREAMS, vehicleSubject, type VehicleFields } from "@forecourt/shared/contracts";
import { DEFAULT_CONSUMER_SETTINGS } from "@forecourt/shared/platform";
import { freePort, startApp, startNatsServer, waitFor, type AppProcess, type TestNatsServer } from "@forecourt/shared/testing";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { DealerStore, openDealersBucket } from "./dealers/dealer-store.ts";

const API = join(import.meta.dir, "main.ts");
let nats: TestNatsServer;
let nc: NatsConnection;
let key: string;
const apps: AppProcess[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  key = await new DealerStore(await openDealersBucket(jetstream(nc))).add("failover-test");
});
afterAll(async () => {
  await Promise.all(apps.map((app) => app.kill("SIGKILL")));
  await nc?.close();
  await nats?.dispose();
});

async function startApi() {
  const port = await freePort();
  const app = await startApp(API, { NATS_URL: nats.url, API_PORT: String(port), DEMO_VEHICLES: "0" });
  apps.push(app);
  return { app, url: `http://127.0.0.1:${port}` };
}

const CARS = 20;
const registration = (i: number) => `FO${String(i).padStart(3, "0")}`;

test("priced events held by an API instance that is SIGKILLed are recorded by another instance within a few seconds", async () => {
  const a = await startApi();
  const cars: VehicleFields[] = [];
  for (let i = 0; i < CARS; i++) {
    const res = await fetch(`${a.url}/api/vehicles`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: JSON.stringify({ registration: registration(i), modelCode: "ford-fiesta", color: "Red", year: 2019 }) });
    expect(res.status).toBe(201);
    cars.push(await res.json());
  }
  // Frozen, instance A still has a pull waiting at the server: the priced events are delivered into it, unacked.
  a.app.proc.kill("SIGSTOP");
  const js = jetstream(nc);
  for (const car of cars) {
    const body = { ...car, price: 7_450, currencyCode: "GBP", pricedAt: new Date().toISOString(), pricedBy: DEFAULT_PARTICIPANT };
    await js.publish(vehicleSubject("priced", car.manufacturerCode, car.modelCode, DEFAULT_PARTICIPANT), encodeEvent("priced", body), { msgID: `priced:${car.registration}:${car.listedAt}` });
  }
  const jsm = await jetstreamManager(nc);
  await waitFor(async () => (await jsm.consumers.info(STREAMS.vehicles.name, CONSUMERS.api)).num_ack_pending === CARS, { what: "every priced event delivered to the frozen instance" });

  const b = await startApi();
  a.app.proc.kill("SIGKILL");
  const killedAt = performance.now();
  const priced = async () => {
    let count = 0;
    for (let i = 0; i < CARS; i++) {
      const car = await (await fetch(`${b.url}/api/vehicles/${registration(i)}`)).json();
      if (car.price?.amount === 7_450) count++;
    }
    return count === CARS;
  };
  await waitFor(priced, { timeoutMs: 15_000, intervalMs: 100, what: "instance B to record every price" });
  const seconds = (performance.now() - killedAt) / 1000;
  console.log(`prices recorded by the surviving instance ${seconds.toFixed(1)} s after the SIGKILL (ack wait ${DEFAULT_CONSUMER_SETTINGS.ackWaitMs / 1000} s)`);
  // The old 30 s ack wait would hold them far longer than this.
  expect(seconds).toBeLessThan(10);
}, 60_000);
