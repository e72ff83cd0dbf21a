/**
 * The cluster failover programme: a three-server JetStream cluster (R3 streams and buckets) on free ports,
 * two instances of api, pricing, pricer and web and one audit log, a steady load of POSTs, then the faults of
 * failover/programme.ts. Prints what clients got in each phase (error rate, statuses, latency, example
 * failures with Retry-After) and what survived (lost, duplicated, audit gaps), and checks every app recovered
 * without help. Exits 1 when anything was lost or duplicated or an app did not recover.
 *
 *   bun scripts/bench/failover.ts [--quick] [--rate N]      (full: 200 cars/s; --quick: 50 cars/s, 3 s phases)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startNatsCluster } from "@forecourt/shared/testing";
import { startLoad } from "./failover/load.ts";
import { FULL, QUICK, runProgramme } from "./failover/programme.ts";
import { formatFailures, formatPhaseTable, formatVerdict, phaseStats } from "./failover/report.ts";
import { startStack, type Stack } from "./failover/stack.ts";
import { isClean, settleAndVerify } from "./failover/verify.ts";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const rateAt = args.indexOf("--rate");
const rate = rateAt >= 0 ? Number(args[rateAt + 1]) : quick ? 50 : 200;
const unknown = args.filter((a, i) => a !== "--quick" && a !== "--rate" && i !== rateAt + 1);
if (unknown.length || !Number.isInteger(rate) || rate < 1) {
  console.error("usage: bun scripts/bench/failover.ts [--quick] [--rate N]   (N: POSTs per second, default 200, 50 with --quick)");
  process.exit(2);
}
const say = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

const dir = mkdtempSync(join(tmpdir(), "forecourt-failover-"));
const auditPath = join(dir, "audit.jsonl");
say("starting a three-server cluster and two instances of each app…");
const cluster = await startNatsCluster(3, { secured: true });
const nc = await cluster.users!.connect("admin", { name: "failover-programme", maxReconnectAttempts: -1 });
let stack: Stack | undefined;
let code = 1;
try {
  stack = await startStack({ natsUrl: cluster.url, users: cluster.users!, replicas: 3, instances: { api: 2, pricing: 2, pricer: 2, web: 2 }, auditPath });
  say(`load: ${rate} POST /api/vehicles per second over ${stack.apiUrls.length} API instances`);
  const load = startLoad({ apiUrls: stack.apiUrls, rate, prefix: "FO", headers: { authorization: `Bearer ${stack.dealerKey}` } });
  const notes = await runProgramme(cluster, nc, load, quick ? QUICK : FULL, say);
  const results = await load.stop();
  say("load stopped; waiting for every car to be priced and audited…");
  const settled = await settleAndVerify(nc, results, auditPath);
  const ready = await stack.allReady();
  const stats = phaseStats(results, [...new Set(notes.map((n) => n.phase))]);

  console.log(`\nWhat clients got (${rate} POSTs/s, ${results.length} in all, 10 s client timeout):\n`);
  console.log(formatPhaseTable(stats));
  console.log("\nFailures, one example of each kind:");
  console.log(formatFailures(stats));
  console.log("\nWhat survived:");
  console.log(formatVerdict(settled));
  const suspects = [...settled.verdict.lost, ...settled.verdict.unpriced, ...settled.verdict.pricedTwice, ...settled.missingInBucket, ...settled.unpricedInBucket].slice(0, 5);
  if (suspects.length) {
    console.log("\nWhat the apps logged about the first of them:");
    for (const app of stack.apps) {
      for (const line of app.process.logs.filter((l) => suspects.includes(String(l.registration)) || suspects.some((r) => JSON.stringify(l).includes(`"${r}"`)))) {
        console.log(`  ${app.name}: ${JSON.stringify(line).slice(0, 400)}`);
      }
    }
  }
  const notReady = ready.filter((r) => !r.ready).map((r) => r.name);
  console.log(`apps recovered on their own: ${notReady.length === 0 ? `all ${ready.length}` : `NOT ${notReady.join(", ")}`}`);
  const clean = isClean(settled.verdict) && settled.missingInBucket.length === 0 && settled.unpricedInBucket.length === 0 && notReady.length === 0;
  console.log(`\n${clean ? "PASS" : "FAIL"}: ${settled.verdict.lost.length} lost, ${settled.verdict.listedTwice.length + settled.verdict.pricedTwice.length} duplicated`);
  code = clean ? 0 : 1;
} finally {
  await stack?.stop();
  await nc.close();
  await cluster.dispose();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(code);
