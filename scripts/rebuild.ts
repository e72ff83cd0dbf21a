/**
 * `bun run rebuild vehicles`: restores the `vehicles` bucket from the VEHICLES stream (every listed, updated and
 * removed event carries the car; priced events its price). Idempotent: a second run writes nothing. Reads
 * NATS_URL (nats://127.0.0.1:4222) and FORECOURT_PARTICIPANT (whose cars the bucket holds), and connects as NATS user
 * admin (scripts/dev/credentials.ts), which alone may re-create the bucket. Progress on stderr; errors are one line
 * and exit 1 (2 for bad arguments).
 */
import { join } from "node:path";
import type { NatsConnection } from "@nats-io/transport-node";
import { EnvReader } from "@forecourt/shared/platform";
import { connectScript } from "./dev/credentials.ts";
import { createProgress } from "./import/progress.ts";
import { parseRebuildArgs, UsageError } from "./rebuild/args.ts";
import { rebuildVehicles, type RebuildProgress } from "./rebuild/rebuild-vehicles.ts";

function fail(message: string, code = 1): never {
  console.error(`rebuild: ${message}`);
  process.exit(code);
}

try {
  parseRebuildArgs(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) fail(error.message, 2);
  throw error;
}
const reader = new EnvReader(process.env);
const natsUrl = reader.natsUrl();
const participant = reader.participant();
if (reader.problems.length) fail(reader.problems.join("; "));

let nc: NatsConnection;
try {
  ({ nc } = await connectScript("forecourt-rebuild", natsUrl, process.env, join(import.meta.dir, "..")));
} catch (error) {
  fail((error as Error).message);
}

const started = performance.now();
const bars = new Map<string, ReturnType<typeof createProgress>>();
const onProgress = (p: RebuildProgress) => {
  let bar = bars.get(p.phase);
  if (!bar) bars.set(p.phase, (bar = createProgress(p.total, p.phase)));
  bar.update(p.done);
};
let failed = false;
try {
  const result = await rebuildVehicles(nc, participant, onProgress);
  for (const s of result.skipped) console.error(`rebuild: skipped event ${s.seq} (${s.subject}): ${s.reason}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `rebuilt vehicles from ${result.events - result.othersEvents} events in ${seconds} s: ${result.registrations} registrations, ${result.written} written, ` +
      `${result.deleted} deleted, ${result.unchanged} already right, ${result.skipped.length} events skipped` +
      (result.othersEvents ? ` (${result.othersEvents} events of other participants left out)` : ""),
  );
} catch (error) {
  failed = true;
  console.error(`rebuild: ${(error as Error).message}`);
} finally {
  await nc.close();
}
process.exit(failed ? 1 : 0);
