/**
 * `bun run lab [--quick] [--out <dir>]`: a hub and three participants on this machine, a fixed programme of link
 * settings (scripts/lab/programme.ts), progress while it runs, a table at the end and .data/lab/<timestamp>/report.md
 * with SVG charts. docs/workshop.md, "Communication styles, measured", explains what it shows.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { LAB_USAGE, LabArgsError, parseLabArgs, runDirName } from "./lab/args.ts";
import { startLab } from "./lab/lab-stack.ts";
import { startPriceProbe } from "./lab/price-probe.ts";
import { fullProgramme, quickProgramme } from "./lab/programme.ts";
import { CHART_FILES, formatTable, latencyChart, pricingChart, renderReport, throughputChart } from "./lab/report.ts";
import { runStep, type StepProgress, type StepResult } from "./lab/run-step.ts";

const NAMES = ["alice", "bob", "carol"];
const REMOTE_PRICING = "carol";

let args;
try {
  args = parseLabArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof LabArgsError)) throw error;
  console.error(error.message);
  process.exit(2);
}
if (args.help) {
  console.log(LAB_USAGE);
  process.exit(0);
}

const root = join(import.meta.dir, "..");
const startedAt = new Date();
const outDir = resolve(root, args.out ?? join(".data/lab", runDirName(startedAt)));
const programme = args.quick ? quickProgramme() : fullProgramme();
const tty = process.stdout.isTTY;

console.log(`Starting a hub and ${NAMES.length} participants (${NAMES.join(", ")}; ${REMOTE_PRICING} without a price calculator)…`);
const bootAt = performance.now();
const lab = await startLab({ names: NAMES, withoutPricing: [REMOTE_PRICING] });
const remote = lab.participants.find((p) => p.name === REMOTE_PRICING)!;
const calculator = lab.participants.find((p) => p.pricing)!.pricing!;
const probe = await startPriceProbe({ calculator, remoteCaller: remote.stack.nc });
console.log(`Ready in ${((performance.now() - bootAt) / 1000).toFixed(0)} s. ${programme.steps.length} steps, ${programme.ratePerSecond} cars/s at each participant.`);

let stopping = false;
const stopAll = async () => {
  if (stopping) return;
  stopping = true;
  await probe.close();
  await lab.stop();
};
process.on("SIGINT", () => void stopAll().then(() => process.exit(130)));

const steps: StepResult[] = [];
try {
  for (const [index, step] of programme.steps.entries()) {
    const label = `[${index + 1}/${programme.steps.length}] ${step.name.padEnd(12)}`;
    const line = (p: StepProgress) => `${label} ${p.phase.padEnd(8)} listed ${p.listed}/${p.toList}  crossed ${p.delivered}/${p.toDeliver}`;
    const result = await runStep(lab, step, index, programme, probe, (p) => {
      if (tty) process.stdout.write(`\r${line(p)}   `);
    });
    steps.push(result);
    const done = `${label} done     listed ${result.listed}  crossed ${result.delivered}/${result.expectedDeliveries}  p50 ${Math.round(result.latency.p50)} ms  lost ${result.lost}  dup ${result.duplicated}`;
    console.log(tty ? `\r${done}   ` : done);
  }
} finally {
  await stopAll();
}

const command = `bun run lab${args.quick ? " --quick" : ""}`;
const run = { startedAt: startedAt.toISOString(), command, participants: NAMES, remotePricing: REMOTE_PRICING, ratePerSecond: programme.ratePerSecond, steps };
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "report.md"), renderReport(run));
writeFileSync(join(outDir, CHART_FILES.latency), latencyChart(steps));
writeFileSync(join(outDir, CHART_FILES.throughput), throughputChart(steps));
writeFileSync(join(outDir, CHART_FILES.pricing), pricingChart(steps));
writeFileSync(join(outDir, "results.json"), `${JSON.stringify(run, null, 2)}\n`);
console.log(`\n${formatTable(steps)}\n`);
const lost = steps.reduce((n, s) => n + s.lost, 0);
const duplicated = steps.reduce((n, s) => n + s.duplicated, 0);
console.log(`lost ${lost}, duplicated ${duplicated}. Report: ${join(outDir, "report.md")}`);
process.exit(lost || duplicated ? 1 : 0);
