/**
 * `bun run chaos`: the fault run as a command. Starts its own stack (free ports, temporary stores, NATS requiring
 * Forecourt's users), drives steady load, and either SIGKILLs and restarts random apps at random moments and restarts
 * NATS (gracefully and with SIGKILL), or, with `--cluster`, runs issue 14's failover programme on a three-server
 * JetStream cluster (R3) with two instances of each app: kill -9 a server leading neither stream a POST writes to and
 * start it 10 s later, the same for the VEHICLES leader and the vehicles bucket's leader, then a rolling restart.
 * Shows progress, then verifies from NATS and the audit file and prints the results (with --cluster also what
 * clients got in each phase). Exits 1 on any loss, duplicate, audit gap, dead letter or 500; 2 on bad arguments.
 * `--quick` is the short run CI does; `--seed` repeats a run's fault plan and cars.
 */
import { parseChaosArgs, UsageError } from "./chaos/args.ts";
import { formatFailures, formatPhaseTable, formatReport } from "./chaos/report.ts";
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
const command = options.cluster
  ? `bun run chaos --cluster${options.quick ? " --quick" : ""} --rate ${options.rate} --seed ${options.seed}`
  : `bun run chaos${options.quick ? " --quick" : ""} --rate ${options.rate} --duration ${options.durationMs / 1000} --seed ${options.seed}`;
console.log(`\n${command}  (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
if (result.phases) {
  console.log(`What clients got in each phase (${options.rate} POSTs/s over the API instances, 10 s client timeout):\n`);
  console.log(formatPhaseTable(result.phases, result.actions));
  console.log("\nFailures, one example of each kind:");
  console.log(formatFailures(result.phases));
  console.log("");
}
console.log(formatReport(result.verdict, result.faults, result.exits));
if (result.error) console.log(`FAIL: the programme stopped: ${result.error}`);
if (!result.settled) console.log("note: the system had not caught up when the settle time ran out");
tidy(result, options.keep);
process.exit(passed(result.verdict) && !result.error ? 0 : 1);
