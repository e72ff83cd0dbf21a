/**
 * `bun run import <dir>`: loads Autobarn CSVs (makes.csv, carmodels.csv, vehicles.csv) through the API's own
 * vehicle store, so imported cars are stored and announced (forecourt.vehicles.listed.*.*) exactly as
 * API-created ones. Rows it cannot take are reported with line number and reason; a second run adds nothing.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { openCatalogView, seedCatalog, SEED_CATALOG, type Catalog } from "@forecourt/shared/catalog";
import { createLogger, EnvReader, ensureBuckets, ensureStreams, loadConfigOrExit, type Env } from "@forecourt/shared/platform";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { createAll } from "../apps/api/src/vehicles/bulk-listing.ts";
import { openVehicleStore } from "../apps/api/src/vehicles/vehicle-store.ts";
import { planImport } from "./import/autobarn-csv.ts";
import { createProgress } from "./import/progress.ts";

const CONCURRENCY = 64;

function loadConfig(env: Env) {
  const reader = new EnvReader(env);
  const config = { natsUrl: reader.natsUrl(), logLevel: reader.logLevel("LOG_LEVEL", "warn"), replicas: reader.int("NATS_REPLICAS", 1, 1, 5) };
  reader.done();
  return config;
}

const dir = process.argv[2];
if (!dir) {
  console.error("usage: bun run import <dir>   (a folder holding makes.csv, carmodels.csv and vehicles.csv)");
  process.exit(2);
}
const root = resolve(dir);
const missing = ["makes.csv", "carmodels.csv", "vehicles.csv"].filter((f) => !existsSync(join(root, f)));
if (missing.length) {
  console.error(`import: ${root} lacks ${missing.join(", ")}`);
  process.exit(2);
}
const config = loadConfigOrExit("import", loadConfig);
const log = createLogger({ service: "import", level: config.logLevel });
const started = performance.now();
const read = (file: string) => readFileSync(join(root, file), "utf8");

const nc = await connect({ servers: config.natsUrl.split(","), name: "forecourt-import" }).catch((error) => {
  console.error(`import: cannot reach NATS at ${config.natsUrl}: ${(error as Error).message}`);
  process.exit(1);
});
const js = jetstream(nc);
await ensureStreams(await jetstreamManager(nc), { replicas: config.replicas });
await ensureBuckets(js, { replicas: config.replicas });
await seedCatalog(js, SEED_CATALOG);

// The catalog as stored now (seed plus earlier imports). Read through a watch: kv.keys() can stop short on nats-server 2.9.
const view = await openCatalogView(js);
const stored: Catalog = { manufacturers: view.manufacturers(), models: view.models() };
view.stop();
const plan = planImport({ makes: read("makes.csv"), models: read("carmodels.csv"), vehicles: read("vehicles.csv") }, stored);
await seedCatalog(js, { manufacturers: plan.manufacturers, models: plan.models });

const manufacturers = new Map([...stored.manufacturers, ...plan.manufacturers].map((m) => [m.code, m]));
const models = new Map([...stored.models, ...plan.models].map((m) => [m.code, m]));
const { store, outbox } = await openVehicleStore({
  js,
  catalog: { model: (code) => models.get(code), manufacturer: (code) => manufacturers.get(code) },
  log,
});

const progress = createProgress(plan.vehicles.length, "vehicles");
const { added, present } = await createAll(store, plan.vehicles.map((v) => v.input), CONCURRENCY, (done) => progress.update(done));
// An event NATS refused during the run is still owed (its marker is in KV): try once more before leaving.
await outbox.sweep(0);
if (outbox.size) console.error(`import: ${outbox.size} listed events still owed; a running API publishes them`);
await nc.drain();

for (const row of plan.skipped) console.log(`skipped ${row.file}:${row.line}: ${row.reason}`);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `imported ${added} vehicles (${present} already present), ${plan.manufacturers.length} manufacturers and ${plan.models.length} models; skipped ${plan.skipped.length} rows; ${seconds} s`,
);
