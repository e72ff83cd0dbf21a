import { afterAll, beforeAll, expect, test } from "bun:test";
import { jetstream } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { startNatsServer, waitFor, type TestNatsServer } from "../testing/index.ts";
import { openCatalogBuckets, openCatalogView, seedCatalog } from "./kv.ts";
import { SEED_CATALOG } from "./seed-catalog.ts";

let server: TestNatsServer;
let nc: NatsConnection;
beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
});
afterAll(async () => {
  await nc?.close();
  await server?.dispose();
});

// First in this file: the buckets are still empty.
test("a catalog view opens on empty buckets at once and follows what is written later", async () => {
  const js = jetstream(nc);
  const view = await openCatalogView(js);
  expect(view.models()).toEqual([]);
  const { manufacturers } = await openCatalogBuckets(js);
  await manufacturers.put("test-make", JSON.stringify({ code: "test-make", name: "Test Make" }));
  await waitFor(() => view.manufacturer("test-make"), { what: "the manufacturer in the view" });
  view.stop();
});

test("seeding twice writes the catalog once", async () => {
  const js = jetstream(nc);
  const first = await seedCatalog(js, SEED_CATALOG);
  expect(first.written).toBe(SEED_CATALOG.manufacturers.length + SEED_CATALOG.models.length);
  expect((await seedCatalog(js, SEED_CATALOG)).written).toBe(0);
});

test("a catalog view holds the seeded catalog and follows later changes", async () => {
  const js = jetstream(nc);
  await seedCatalog(js, SEED_CATALOG);
  const view = await openCatalogView(js);
  expect(view.models()).toHaveLength(SEED_CATALOG.models.length);
  expect(view.model("ford-fiesta")?.manufacturerCode).toBe("ford");
  const { models } = await openCatalogBuckets(js);
  await models.put("ford-puma", JSON.stringify({ code: "ford-puma", manufacturerCode: "ford", name: "Puma", basePrice: 26_000 }));
  await waitFor(() => view.model("ford-puma"), { what: "the new model in the view" });
  expect(view.modelsOf("ford").map((m) => m.code)).toContain("ford-puma");
  view.stop();
});
