/**
 * `bun run dealers add <name>` adds a dealer and prints its API key, once; `list [--json]` shows every dealer and
 * whether its key works; `revoke <name>` stops its key at the API's next request. Keys are stored hashed in the
 * KV bucket `dealers` (apps/api/src/dealers). Reads NATS_URL and connects as NATS user admin
 * (scripts/dev/credentials.ts), which alone may write that bucket. Errors are one line on stderr: exit 2 for usage, 1 otherwise.
 */
import { join } from "node:path";
import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { EnvReader, isPermissionDenied } from "@forecourt/shared/platform";
import { DealerStore, openDealersBucket } from "../apps/api/src/dealers/dealer-store.ts";
import { DealerExistsError, DealerNotFoundError } from "../apps/api/src/dealers/errors.ts";
import { parseDealersArgs, UsageError, type DealersCommand } from "./dealers/args.ts";
import { formatDealers } from "./dealers/format.ts";
import { connectScript } from "./dev/credentials.ts";

function fail(message: string, code = 1): never {
  console.error(`dealers: ${message}`);
  process.exit(code);
}

let command: DealersCommand;
try {
  command = parseDealersArgs(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) fail(error.message, 2);
  throw error;
}

const reader = new EnvReader(process.env);
const natsUrl = reader.natsUrl();
if (reader.problems.length) fail(reader.problems.join("; "));
let nc: NatsConnection;
let as: string;
try {
  ({ nc, as } = await connectScript("forecourt-dealers", natsUrl, process.env, join(import.meta.dir, "..")));
} catch (error) {
  fail((error as Error).message);
}

let failed = false;
try {
  const store = new DealerStore(await openDealersBucket(jetstream(nc)));
  if (command.kind === "add") {
    const key = await store.add(command.name);
    console.log(`added dealer ${command.name}; its key, shown only now (send it as Authorization: Bearer <key>):\n${key}`);
  } else if (command.kind === "revoke") {
    await store.revoke(command.name);
    console.log(`revoked dealer ${command.name}: its key no longer works`);
  } else {
    const dealers = await store.list();
    console.log(command.json ? dealers.map((d) => JSON.stringify(d)).join("\n") : formatDealers(dealers));
  }
} catch (error) {
  failed = true;
  if (error instanceof DealerExistsError || error instanceof DealerNotFoundError) console.error(`dealers: ${error.message}`);
  else if (isPermissionDenied(error)) console.error(`dealers: NATS user ${as} may not manage dealers; run as admin`);
  else console.error(`dealers: ${(error as Error).message}`);
} finally {
  await nc.close();
}
process.exit(failed ? 1 : 0);
