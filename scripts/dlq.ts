/**
 * `bun run dlq list [--json]` shows what the consumers gave up on; `bun run dlq redrive <id>...|--all` sends
 * those messages back to their original subjects (original headers, new Nats-Msg-Id) and removes them.
 * Reads NATS_URL (nats://127.0.0.1:4222) and connects as NATS user admin (scripts/dev/credentials.ts: NATS_USER and
 * NATS_PASSWORD or NATS_CREDS when set), which alone may delete from DEADLETTER. Errors are one line on stderr and exit 1.
 */
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { join } from "node:path";
import { EnvReader } from "@forecourt/shared/platform";
import { connectScript } from "./dev/credentials.ts";
import { parseDlqArgs, UsageError } from "./dlq/args.ts";
import { formatDeadLetters, listDeadLetters, redrive } from "./dlq/dead-letters.ts";

function fail(message: string): never {
  console.error(`dlq: ${message}`);
  process.exit(1);
}

const reader = new EnvReader(process.env);
const natsUrl = reader.natsUrl();
if (reader.problems.length) fail(reader.problems.join("; "));

let command;
try {
  command = parseDlqArgs(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) fail(error.message);
  throw error;
}

let nc: NatsConnection;
try {
  ({ nc } = await connectScript("forecourt-dlq", natsUrl, process.env, join(import.meta.dir, "..")));
} catch (error) {
  fail((error as Error).message);
}

let failed = false;
try {
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  if (command.kind === "list") {
    const records = await listDeadLetters(jsm);
    console.log(command.json ? records.map((r) => JSON.stringify(r)).join("\n") : formatDeadLetters(records));
  } else {
    const ids = command.kind === "redrive-all" ? (await listDeadLetters(jsm)).map((r) => r.id) : command.ids;
    if (!ids.length) console.log("DEADLETTER is empty: nothing to redrive.");
    for (const id of ids) {
      try {
        const done = await redrive(js, jsm, id);
        console.log(`redrove ${id} to ${done.subject} (${done.ack.stream} seq ${done.ack.seq})`);
      } catch (error) {
        failed = true;
        console.error(`dlq: ${(error as Error).message}`);
      }
    }
  }
} catch (error) {
  failed = true;
  console.error(`dlq: ${(error as Error).message}`);
} finally {
  await nc.close();
}
process.exit(failed ? 1 : 0);
