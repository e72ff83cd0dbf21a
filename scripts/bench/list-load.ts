/**
 * Steady traffic for watching the pipeline (e.g. under `bun run dev --observe`): lists cars through the API at a
 * given rate for a while, each then priced, recorded, audited and relayed, and reads a car back every time.
 * Prints what it sent and how many answers were not 2xx.
 *
 *   bun scripts/bench/list-load.ts [cars per second=40] [seconds=180] [API base URL=http://127.0.0.1:$API_PORT]
 */
import { SEED_CATALOG } from "@forecourt/shared/catalog";
import { EnvReader } from "@forecourt/shared/platform";

const [rateArg = "40", secondsArg = "180", baseArg] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const base = (baseArg ?? `http://127.0.0.1:${new EnvReader(process.env).port("API_PORT", 3000)}`).replace(/\/+$/, "");
if (!(rate > 0 && rate <= 1000) || !(seconds > 0 && seconds <= 3600)) {
  console.error("usage: bun scripts/bench/list-load.ts [cars per second 1-1000] [seconds 1-3600] [API base URL]");
  process.exit(1);
}

const COLOURS = ["Red", "Blue", "Silver", "Black", "White", "Green"];
const MODELS = SEED_CATALOG.models.map((m) => m.code);
const run = Date.now().toString(36).slice(-4).toUpperCase();
let sent = 0;
let failed = 0;

/** The one place this script writes to the API. */
async function listCar(i: number): Promise<void> {
  const registration = `L${run}${String(i).padStart(5, "0")}`;
  const body = { registration, modelCode: MODELS[(i * 7) % MODELS.length], color: COLOURS[i % COLOURS.length], year: 2005 + (i % 20) };
  const posted = await fetch(`${base}/api/vehicles`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const read = await fetch(`${base}/api/vehicles/${registration}`);
  for (const response of [posted, read]) if (!response.ok) failed++;
}

const started = performance.now();
const inFlight = new Set<Promise<void>>();
while (performance.now() - started < seconds * 1000) {
  const due = Math.floor(((performance.now() - started) / 1000) * rate);
  while (sent < due) {
    const task: Promise<void> = listCar(sent++)
      .catch(() => void failed++)
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  }
  await Bun.sleep(10);
}
await Promise.all(inFlight);
console.log(`listed ${sent} cars in ${seconds} s (${rate}/s) at ${base}; ${failed} answers were not 2xx`);
