/**
 * `bun run import <dir> [--dealer <name>]`: loads Autobarn CSVs (makes.csv, carmodels.csv, vehicles.csv) through
 * the API's own vehicle store, so imported cars are stored and announced (forecourt.vehicles.listed.*.*.<participant>)
 * exactly as API-created ones, listed by the named dealer (default autobarn; added, its key printed once, when it
 * does not exist yet). Rows it cannot take are reported with line number and reason; a second run adds nothing.
 * Connects as NATS user admin (scripts/dev/credentials.ts), which alone may add catalog entries and dealers.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { openCatalogView, seedCatalog, SEED_CATALOG, type Catalog } from "@forecourt/shared/catalog";
import { createLogger, EnvReader, ensureBuckets, ensureStreams, loadConfigOrExit, MAX_REPLICAS, type Env } from "@forecourt/shared/platform";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { dealerNameReason } from "../apps/api/src/dealers/dealer-keys.ts";
import { DealerStore, openDealersBucket } from "../apps/api/src/dealers/dealer-store.ts";
import { DealerExistsError } from "../apps/api/src/dealers/errors.ts";
import { createAll } from "../apps/api/src/vehicles/bulk-listing.ts";
import { openVehicleStore } from "../apps/api/src/vehicles/vehicle-store.ts";
import { planImport } from "./import/autobarn-csv.ts";
import { createProgress } from "./import/progress.ts";
import { connectScript } from "./dev/credentials.ts";

const CONCURRENCY = 64;
const DEFAULT_DEALER = "autobarn";
const USAGE = "usage: bun run import <dir> [--dealer <name>]   (a folder holding makes.csv, carmodels.csv and vehicles.csv)";

function loadConfig(env: Env) {
  const reader = new EnvReader(env);
  const config = { natsUrl: reader.natsUrl(), logLevel: reader.logLevel("LOG_LEVEL", "warn"), participant: reader.participant(), replicas: reader.int("NATS_REPLICAS", 1, 1, MAX_REPLICAS) };
  reader.done();
  return config;
}

function parseArgs(args: string[]): { dir: string; dealer: string } {
  let dir: string | undefined;
  let dealer = DEFAULT_DEALER;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--dealer") {
      dealer = args[++i] ?? "";
      const reason = dealerNameReason(dealer);
      if (reason) {
        console.error(`import: --dealer: ${reason}`);
        process.exit(2);
      }
    } else if (!dir && !args[i]!.startsWith("--")) dir = args[i];
    else {
      console.error(USAGE);
      process.exit(2);
    }
  }
  if (!dir) {
    console.error(USAGE);
    process.exit(2);
  }
  return { dir, dealer };
}

const { dir, dealer } = parseArgs(process.argv.slice(2));
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

const { nc } = await connectScript("forecourt-import", config.natsUrl, process.env, join(import.meta.dir, "..")).catch((error: Error) => {
  console.error(`import: ${error.message}`);
  process.exit(1);
});
const js = jetstream(nc);
await ensureStreams(await jetstreamManager(nc), config.participant, { replicas: config.replicas });
await ensureBuckets(js, { replicas: config.replicas });
await seedCatalog(js, SEED_CATALOG);
try {
  const key = await new DealerStore(await openDealersBucket(js)).add(dealer);
  console.log(`dealer ${dealer} added; its key, shown only now: ${key}`);
} catch (error) {
  if (!(error instanceof DealerExistsError)) throw error;
}

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
  origin: config.participant,
});

const progress = createProgress(plan.vehicles.length, "vehicles");
const { added, present } = await createAll(store, plan.vehicles.map((v) => v.input), dealer, CONCURRENCY, (done) => progress.update(done));
// An event NATS refused during the run is still owed (its marker is in KV): try once more before leaving.
await outbox.sweep(0);
if (outbox.size) console.error(`import: ${outbox.size} listed events still owed; a running API publishes them`);
await nc.drain();

for (const row of plan.skipped) console.log(`skipped ${row.file}:${row.line}: ${row.reason}`);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `imported ${added} vehicles (${present} already present) as dealer ${dealer}, ${plan.manufacturers.length} manufacturers and ${plan.models.length} models; skipped ${plan.skipped.length} rows; ${seconds} s`,
);
