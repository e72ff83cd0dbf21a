import { afterAll, beforeAll, expect, test } from "bun:test";
import { connect, type NatsConnection } from "nats";
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

test("seeding twice writes the catalog once", async () => {
  const js = nc.jetstream();
  const first = await seedCatalog(js, SEED_CATALOG);
  expect(first.written).toBe(SEED_CATALOG.manufacturers.length + SEED_CATALOG.models.length);
  expect((await seedCatalog(js, SEED_CATALOG)).written).toBe(0);
});

test("a catalog view holds the seeded catalog and follows later changes", async () => {
  const js = nc.jetstream();
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
