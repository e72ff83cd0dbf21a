/**
 * `bun run hub`: the workshop hub (a nats-server with a leaf-node listener on HOST:HUB_LEAF_PORT and its own
 * JetStream domain `hub`, plus a status page on HUB_PORT). `bun run hub add <name>` puts a participant on the roster
 * (.data/hub, git-ignored) and prints the one command that participant runs to join; a running hub picks it up.
 * Bad arguments: one line on stderr, exit 2 for usage, 1 for a bad name or setting.
 */
import { networkInterfaces } from "node:os";
import { ConfigError, createLogger, onShutdown } from "@forecourt/shared/platform";
import { addParticipant, hubPaths, RosterError } from "./hub/roster.ts";
import { startHub } from "./hub/run-hub.ts";
import { joinInstructions, loadHubSettings, type HubSettings } from "./hub/settings.ts";

const USAGE = `usage: bun run hub             start the hub (HOST, HUB_LEAF_PORT, HUB_PORT, HUB_DATA_DIR)
       bun run hub add <name>  add a participant (1-20 of a-z, 0-9, -) and print its join command`;

function fail(message: string, code: number): never {
  console.error(`hub: ${message}`);
  process.exit(code);
}

let settings: HubSettings;
try {
  settings = loadHubSettings(process.env, networkInterfaces());
} catch (error) {
  if (error instanceof ConfigError) fail(`invalid configuration: ${error.message}`, 1);
  throw error;
}

const [command, ...rest] = process.argv.slice(2);
if (command === "add") {
  if (rest.length !== 1) fail(`add takes one participant name, got ${rest.length}\n${USAGE}`, 2);
  const name = rest[0]!;
  try {
    const { entry, added } = addParticipant(settings.dataDir, name);
    const credentials = hubPaths(settings.dataDir).credentials(name);
    const [join, withFile] = joinInstructions(settings, name, entry.password, credentials);
    console.log(added ? `participant ${name} added; a running hub lets it in within a second.` : `participant ${name} is already on the roster; its credentials are unchanged.`);
    console.log(`\nOn ${name}'s machine, in a Forecourt checkout:\n\n  ${join}\n\nor, keeping the password in a file (${credentials}):\n\n  ${withFile}\n`);
    console.log("Several participants on one machine: add --port-offset 100, 200, … (each its own ports and data dir).");
  } catch (error) {
    if (error instanceof RosterError) fail(error.message, 1);
    throw error;
  }
} else if (command === undefined) {
  const log = createLogger({ service: "hub" });
  try {
    const hub = await startHub({ ...settings, log, onServerOutput: (line) => console.log(`nats │ ${line}`) });
    log.info("ready", { status: hub.statusUrl, leaf: `${settings.host}:${settings.leafPort}`, participantsReach: `${settings.publicHost}:${settings.leafPort}`, monitor: hub.monitorUrl, roster: hubPaths(settings.dataDir).roster });
    console.log(`\nForecourt hub is running (Ctrl-C stops it)\n  status page     ${hub.statusUrl}\n  leaf nodes      ${settings.host}:${settings.leafPort} (participants use ${settings.publicHost}:${settings.leafPort})\n  add someone     bun run hub add <name>\n`);
    onShutdown(log, [() => hub.stop()]);
  } catch (error) {
    if (error instanceof RosterError) fail(error.message, 1);
    throw error;
  }
} else if (command === "help" || command === "--help" || command === "-h") {
  console.log(USAGE);
} else {
  fail(`unknown command ${JSON.stringify(command)}\n${USAGE}`, 2);
}
