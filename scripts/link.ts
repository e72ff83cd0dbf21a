/**
 * `bun run link`: the workshop's link shaper. `proxy` runs one (a TCP proxy with latency, jitter, a bandwidth cap and
 * outages, plus its HTTP control API); `set`, `cut`, `hold`, `restore` and `status` talk to a running one through
 * that API (--control, else LINK_CONTROL, else 127.0.0.1:7501). Bad arguments: one line on stderr, exit 2 for
 * usage, 1 for a bad value or an unreachable shaper.
 */
import { ControlError, fetchStatus, sendOutage, sendSettings, SettingsError, startLinkShaper, type LinkStatus } from "@forecourt/link-shaper";
import { createLogger, onShutdown } from "@forecourt/shared/platform";
import { parseLinkArgs, USAGE, UsageError, type LinkCommand } from "./link/args.ts";
import { formatStatus } from "./link/format.ts";

function fail(message: string, code: number): never {
  console.error(`link: ${message}`);
  process.exit(code);
}

let command: LinkCommand;
try {
  command = parseLinkArgs(process.argv.slice(2), { LINK_CONTROL: process.env.LINK_CONTROL || undefined });
} catch (error) {
  if (error instanceof UsageError) fail(error.message, 2);
  if (error instanceof SettingsError) fail(error.message, 1);
  throw error;
}

try {
  let status: LinkStatus;
  switch (command.kind) {
    case "help":
      console.log(USAGE);
      process.exit(0);
    case "proxy": {
      const log = createLogger({ service: "link" });
      const shaper = await startLinkShaper({ listen: command.listen, to: command.to, control: command.control ?? undefined, settings: command.settings, log });
      onShutdown(log, [() => shaper.stop()]);
      break;
    }
    case "set":
      status = await sendSettings(command.control, {
        direction: command.direction,
        latency: command.values.latencyMs,
        jitter: command.values.jitterMs,
        bandwidth: command.values.bandwidthBps,
      });
      console.log(formatStatus(status));
      break;
    case "outage":
      console.log(formatStatus(await sendOutage(command.control, command.outage)));
      break;
    case "status":
      status = await fetchStatus(command.control);
      console.log(command.json ? JSON.stringify(status, null, 2) : formatStatus(status));
      break;
  }
} catch (error) {
  if (error instanceof ControlError || error instanceof SettingsError) fail(error.message, 1);
  fail((error as Error).message, 1);
}
