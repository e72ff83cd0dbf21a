/**
 * `bun run chaos`: the fault run as a command. Starts its own stack (free ports, temporary store), drives steady
 * load, SIGKILLs and restarts random apps at random moments and restarts NATS (gracefully and with SIGKILL), shows
 * progress, then verifies from NATS and the audit file and prints the results table. Exits 1 on any loss,
 * duplicate, audit gap, dead letter or 500; 2 on bad arguments. `--quick` is the short run CI does; `--seed`
 * repeats a run's fault plan and cars.
 */
import { parseChaosArgs, UsageError } from "./chaos/args.ts";
import { formatReport } from "./chaos/report.ts";
import { runChaos, tidy } from "./chaos/run.ts";
import { passed } from "./chaos/verify.ts";

let options;
try {
  options = parseChaosArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`chaos: ${error.message}`);
  process.exit(2);
}

const started = performance.now();
const result = await runChaos(options);
const command = `bun run chaos${options.quick ? " --quick" : ""} --rate ${options.rate} --duration ${options.durationMs / 1000} --seed ${options.seed}`;
console.log(`\n${command}  (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
console.log(formatReport(result.verdict, result.faults, result.exits));
if (!result.settled) console.log("note: the system had not caught up when the settle time ran out");
tidy(result, options.keep);
process.exit(passed(result.verdict) ? 0 : 1);
