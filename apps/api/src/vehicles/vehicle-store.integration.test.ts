import { afterAll, beforeAll, expect, test } from "bun:test";
import { openCatalogView, SEED_CATALOG, seedCatalog, type CatalogView } from "@forecourt/shared/catalog";
import { createLogger, ensureStreams } from "@forecourt/shared/platform";
import { startNatsServer, type TestNatsServer } from "@forecourt/shared/testing";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { eventsOf, readVehicleEvents } from "../test-support.ts";
import { Outbox } from "./outbox.ts";
import { createPublisher, type PublishOwed } from "./owed-events.ts";
import { VehicleStore } from "./vehicle-store.ts";
import { openVehiclesBucket } from "./vehicle-watch.ts";

let server: TestNatsServer;
let nc: NatsConnection;
let catalog: CatalogView;
beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  await ensureStreams(await jetstreamManager(nc), "local");
  await seedCatalog(jetstream(nc), SEED_CATALOG);
  catalog = await openCatalogView(jetstream(nc));
});
afterAll(async () => {
  catalog?.stop();
  await nc?.close();
  await server?.dispose();
});

async function store(publish: PublishOwed) {
  const kv = await openVehiclesBucket(jetstream(nc));
  const outbox = new Outbox({ kv, publish, log: createLogger({ service: "test", write: () => {} }) });
  return { outbox, store: new VehicleStore({ kv, catalog, outbox }) };
}

test("a write still answers when NATS refuses the event, and the sweep delivers it later", async () => {
  const real = createPublisher(jetstream(nc));
  let down = true;
  const { store: s, outbox } = await store((event, data) => (down ? Promise.reject(new Error("NATS unavailable")) : real(event, data)));
  const input = { registration: "OW01ABC", modelCode: "ford-fiesta", color: "Red", year: 2019 };
  await s.create(input, "test-dealer");
  expect(outbox.has("OW01ABC")).toBe(true);
  expect(eventsOf(await readVehicleEvents(nc), "OW01ABC")).toHaveLength(0);
  down = false;
  expect(await outbox.sweep(0)).toBe(1);
  expect(eventsOf(await readVehicleEvents(nc), "OW01ABC").map((e) => e.subject)).toEqual(["forecourt.vehicles.listed.ford.ford-fiesta.local"]);
  expect(outbox.has("OW01ABC")).toBe(false);
});

test("removing a car whose listing is still owed publishes the listing first, then the removal", async () => {
  const real = createPublisher(jetstream(nc));
  let down = true;
  const { store: s } = await store((event, data) => (down ? Promise.reject(new Error("NATS unavailable")) : real(event, data)));
  await s.create({ registration: "OW02ABC", modelCode: "ford-focus", color: "Red", year: 2019 }, "test-dealer");
  down = false;
  await s.remove("OW02ABC", "test-dealer");
  expect(eventsOf(await readVehicleEvents(nc), "OW02ABC").map((e) => e.subject)).toEqual([
    "forecourt.vehicles.listed.ford.ford-focus.local",
    "forecourt.vehicles.removed.ford.ford-focus.local",
  ]);
});
