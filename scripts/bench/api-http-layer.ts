/**
 * CPU per request of the API's HTTP layer alone: its Elysia app (security headers, edge, telemetry, routes,
 * HAL) answering GET /api/vehicles/{registration} in-process through handle(), with a store that answers from
 * memory, so neither NATS nor sockets add their noise. Prints the CPU time per request of several runs and the
 * best; on a busy machine the best is the most faithful. `--root=DIR` measures another checkout's app.
 *
 *   bun scripts/bench/api-http-layer.ts [--root=DIR] [--requests=20000]
 */
import { join, resolve } from "node:path";
import { benchOptions } from "./options.ts";

const options = benchOptions(process.argv.slice(2), { requests: 20_000 });
const root = resolve(options.root ?? join(import.meta.dir, "../.."));
const { createLogger } = await import(join(root, "packages/shared/src/platform/index.ts"));
const { createHttp } = await import(join(root, "apps/api/src/http/app.ts"));

const vehicle = { registration: "AB12CDE", modelCode: "ford-fiesta", modelName: "Fiesta", manufacturerCode: "ford", manufacturerName: "Ford", color: "Blue", year: 2015, listedAt: "2026-01-01T00:00:00.000Z" };
// Answers after a turn of the event loop, as a KV read would, but costs nothing itself.
const store = { get: async () => (await Promise.resolve(), vehicle) };
const catalog = { model: () => undefined, manufacturer: () => undefined, models: () => [], manufacturers: () => [] };
const http = createHttp({ store, catalog, log: createLogger({ service: "api", write: () => {} }), readiness: {} });
const url = `http://localhost/api/vehicles/${vehicle.registration}`;

/** `count` requests, eight at a time, each read to the end. */
async function run(count: number): Promise<void> {
  for (let i = 0; i < count; i += 8) await Promise.all(Array.from({ length: 8 }, () => http.handle(new Request(url)).then((r: Response) => r.text())));
}

const status = (await http.handle(new Request(url))).status;
if (status !== 200) throw new Error(`GET ${url} answered ${status}`);
await run(options.requests); // warm-up: JIT and caches
const runs: number[] = [];
for (let i = 0; i < 5; i++) {
  const before = process.cpuUsage();
  await run(options.requests);
  const used = process.cpuUsage(before);
  runs.push((used.user + used.system) / options.requests);
}
console.log(`API HTTP layer, GET /api/vehicles/{registration} in-process (${options.root ? `root=${options.root}` : "this checkout"}): ${runs.map((r) => r.toFixed(1)).join(", ")} µs CPU per request; best ${Math.min(...runs).toFixed(1)}`);
