/**
 * One fault run: start the stack, drive the load, carry out the fault plan (timing each recovery), stop the load,
 * give the system time to finish what it owes, then verify from NATS and the audit file. On one server the plan is
 * random app kills and NATS restarts; with --cluster it is the failover programme on three servers (cluster.ts).
 * NATS requires Forecourt's users throughout: admin sets JetStream up and verifies, each app connects as its own.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CONSUMERS, STREAMS } from "@forecourt/shared/contracts";
import { startNatsCluster, startSecuredNatsServer, type TestNatsServer } from "@forecourt/shared/testing";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { ChaosOptions } from "./args.ts";
import { runClusterProgramme, type ProgrammeResult } from "./cluster.ts";
import { startLoad, type Attempt, type Load } from "./load.ts";
import { CLUSTER_FULL, CLUSTER_QUICK, clusterProgramme, planFaults, programmePhases, type Fault } from "./plan.ts";
import { seededRandom } from "./random.ts";
import { settle } from "./settle.ts";
import { phaseStats, type FaultRecord, type PhaseStats } from "./report.ts";
import { startStack, type AppName, type Stack } from "./stack.ts";
import { analyse, lacking, observe, passed, type Verdict } from "./verify.ts";

export const INSTANCES: Record<AppName, number> = { pricing: 1, api: 2, pricer: 2, "audit-log": 1, web: 1 };
/** Issue 14's layout: two instances of every app but the audit log (one per file). */
export const CLUSTER_INSTANCES: Record<AppName, number> = { pricing: 2, api: 2, pricer: 2, "audit-log": 1, web: 2 };

export interface RunResult {
  verdict: Verdict;
  faults: FaultRecord[];
  /** Instances that exited on their own during the run. */
  exits: Stack["exits"];
  dir: string;
  settled: boolean;
  /** --cluster: what clients got in each phase of the programme, and what was done in it. */
  phases?: PhaseStats[];
  actions?: Record<string, string>;
  /** The programme could not be carried out (a server that never came back, a cluster that did not settle). */
  error?: string;
}

const say = (line: string) => console.error(line);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

async function carryOut(stack: Stack, nats: TestNatsServer, fault: Fault): Promise<FaultRecord> {
  const record: FaultRecord = { ...fault };
  try {
    if (fault.kind === "kill-app") {
      await stack.kill(fault.target);
      await Bun.sleep(fault.downMs);
      await stack.start(fault.target);
      record.readyAfterMs = await stack.whenReady(fault.target);
      return record;
    }
    if (fault.kind === "restart-nats") await nats.stop();
    else await nats.kill();
    await Bun.sleep(fault.downMs);
    await nats.start();
    // After NATS comes back every app must find its feet again: the last one to be ready sets the figure.
    const times = await Promise.all(stack.specs.map(async (s) => [s.name, await stack.whenReady(s.name)] as const));
    const [slowest, ms] = times.reduce((a, b) => (b[1] > a[1] ? b : a));
    record.readyAfterMs = ms;
    record.slowest = slowest;
  } catch (error) {
    record.error = (error as Error).message;
  }
  return record;
}

/** Which consumer still has work (pending or unacknowledged messages); undefined once all have caught up. */
async function busy(stack: Stack): Promise<string | undefined> {
  const jsm = await jetstreamManager(stack.nc);
  for (const durable of [CONSUMERS.pricer, CONSUMERS.api, CONSUMERS.auditLog]) {
    const info = await jsm.consumers.info(STREAMS.vehicles.name, durable);
    if (info.num_pending > 0 || info.num_ack_pending > 0) return `${durable}: ${info.num_pending} pending, ${info.num_ack_pending} unacknowledged`;
  }
  return undefined;
}

/**
 * Waits (up to `settleMs`) for what the system still owes (retries, the outbox sweep, the audit log catching up, a
 * car redelivered after its consumer's leader died) to land, then judges: settled once the verdict passes and no
 * consumer has work left.
 */
export async function settleAndVerify(stack: Stack, attempts: Attempt[], settleMs: number, progress?: (line: string) => void): Promise<{ verdict: Verdict; settled: boolean; still?: string }> {
  const js = jetstream(stack.nc);
  // The manager is made inside each look: making one asks JetStream for the account, which may time out too while
  // the connection moves to another server.
  const look = async () => analyse(attempts, await observe(js, await jetstreamManager(stack.nc), stack.auditPath));
  return settle({ look, busy: () => busy(stack), passed, lacking, settleMs, progress });
}

function progress(load: Load, started: number, done: number, total: number | undefined, last: FaultRecord | undefined) {
  const c = load.counts();
  const statuses = Object.entries(c.byStatus).filter(([s]) => s !== "201").map(([s, n]) => `${s}:${n}`).join(" ");
  const lastFault = last ? ` | last: ${last.kind === "kill-app" ? `kill ${last.target}` : last.kind} ${last.error ? "not ready in time" : `ready in ${secs(last.readyAfterMs ?? 0)}`}` : "";
  say(`[${secs(performance.now() - started)}] ${load.phase === "load" ? "" : `${load.phase} | `}sent ${c.sent} accepted ${c.accepted} refused ${c.refused}${statuses ? ` (${statuses})` : ""} ambiguous ${c.ambiguous} not sent ${c.notSent} in flight ${c.inFlight} | faults ${done}${total === undefined ? "" : `/${total}`}${lastFault}`);
}

const prefixOf = (seed: number) => `C${(seed % 46_656).toString(36).toUpperCase().padStart(3, "0")}`;

export async function runChaos(options: ChaosOptions): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), "forecourt-chaos-"));
  if (options.cluster) return runClusterChaos(options, dir);
  const instances = Object.fromEntries(Object.entries(INSTANCES).map(([app, n]) => [app, Array.from({ length: n }, (_, i) => `${app}-${i + 1}`)]));
  const plan = planFaults(seededRandom(options.seed), { durationMs: options.durationMs, instances, appFaultEveryMs: options.appFaultEveryMs, recoveryMs: options.recoveryMs, natsRestarts: options.natsRestarts, natsKills: options.natsKills });
  say(`chaos: seed ${options.seed}, ${options.rate} cars/s for ${secs(options.durationMs)}, ${plan.length} faults planned; run folder ${dir}`);

  const nats = await startSecuredNatsServer();
  const stack = await startStack({ dir, nats, users: nats, instances: INSTANCES }).catch(async (error) => {
    await nats.dispose();
    throw error;
  });
  say(`chaos: stack ready (nats ${stack.nats.url}, every app as its own NATS user; ${stack.specs.map((s) => s.name).join(", ")})`);
  const started = performance.now();
  const load = startLoad({ rate: options.rate, targets: stack.apiUrls, random: seededRandom(options.seed ^ 0x5bd1e995), prefix: prefixOf(options.seed), headers: { authorization: `Bearer ${stack.dealerKey}` } });
  const records: FaultRecord[] = [];
  const running: Promise<void>[] = [];
  let last: FaultRecord | undefined;
  const ticker = setInterval(() => progress(load, started, records.length, plan.length, last), 5_000);
  try {
    for (const fault of plan) {
      const wait = started + fault.atMs - performance.now();
      if (wait > 0) await Bun.sleep(wait);
      say(`[${secs(performance.now() - started)}] fault: ${fault.kind === "kill-app" ? `SIGKILL ${fault.target}` : fault.kind}, down ${secs(fault.downMs)}`);
      running.push(carryOut(stack, nats, fault).then((record) => void records.push((last = record))));
    }
    const end = started + options.durationMs - performance.now();
    if (end > 0) await Bun.sleep(end);
    await load.stop();
    await Promise.all(running);
    clearInterval(ticker);
    progress(load, started, records.length, plan.length, last);

    const settleStart = performance.now();
    const { verdict, settled, still } = await settleAndVerify(stack, load.attempts, options.settleMs, (line) => say(`chaos: ${line}`));
    say(`chaos: ${settled ? "settled" : `did not settle (${still})`} ${secs(performance.now() - settleStart)} after the load stopped`);
    records.sort((a, b) => a.atMs - b.atMs);
    return { verdict, faults: records, exits: stack.exits, dir, settled };
  } finally {
    clearInterval(ticker);
    await load.stop();
    await stack.stop();
  }
}

/** Issue 14's programme: steady load on a three-server cluster (R3), servers killed and restarted under it. */
async function runClusterChaos(options: ChaosOptions, dir: string): Promise<RunResult> {
  const steps = clusterProgramme(options.quick ? CLUSTER_QUICK : CLUSTER_FULL);
  say(`chaos --cluster: seed ${options.seed}, ${options.rate} cars/s, the failover programme${options.quick ? " (quick)" : ""}; run folder ${dir}`);
  const cluster = await startNatsCluster(3, { secured: true });
  const stack = await startStack({ dir, nats: { url: cluster.url, dispose: () => cluster.dispose() }, users: cluster.users!, replicas: 3, instances: CLUSTER_INSTANCES }).catch(async (error) => {
    await cluster.dispose();
    throw error;
  });
  say(`chaos --cluster: stack ready (nats ${cluster.url}, R3, every app as its own NATS user; ${stack.specs.map((s) => s.name).join(", ")})`);
  const started = performance.now();
  const load = startLoad({ rate: options.rate, targets: stack.apiUrls, random: seededRandom(options.seed ^ 0x5bd1e995), prefix: prefixOf(options.seed), headers: { authorization: `Bearer ${stack.dealerKey}` } });
  const ticker = setInterval(() => progress(load, started, 0, undefined, undefined), 5_000);
  const programme: ProgrammeResult = { records: [], actions: {} };
  let error: string | undefined;
  try {
    try {
      await runClusterProgramme(cluster, stack, load, steps, (line) => say(`[${secs(performance.now() - started)}] ${line}`), programme);
    } catch (e) {
      error = (e as Error).message;
      say(`chaos --cluster: the programme stopped: ${error}`);
    }
    await load.stop();
    clearInterval(ticker);
    progress(load, started, programme.records.length, undefined, programme.records.at(-1));
    const settleStart = performance.now();
    const { verdict, settled, still } = await settleAndVerify(stack, load.attempts, options.settleMs, (line) => say(`chaos: ${line}`));
    say(`chaos --cluster: ${settled ? "settled" : `did not settle (${still})`} ${secs(performance.now() - settleStart)} after the load stopped`);
    const phases = phaseStats(load.attempts, programmePhases(steps));
    // Nobody restarted an app: each must be ready by its own account once the faults are over.
    const notReady = (await stack.allReady()).filter((r) => !r.ready).map((r) => r.name);
    if (notReady.length) error ??= `not ready after the programme, without anyone restarting them: ${notReady.join(", ")}`;
    else say(`chaos --cluster: every app ready after the programme (${stack.specs.length} instances, none restarted)`);
    return { verdict, faults: programme.records, exits: stack.exits, dir, settled, phases, actions: programme.actions, error };
  } finally {
    clearInterval(ticker);
    await load.stop();
    await stack.stop();
  }
}

/** Removes the run folder unless asked to keep it or the run failed (its logs explain the failure). */
export function tidy(result: RunResult, keep: boolean): void {
  if (keep || !passed(result.verdict) || result.error) say(`chaos: run folder kept: ${result.dir} (audit file, logs/ with each instance's warnings and errors)`);
  else rmSync(result.dir, { recursive: true, force: true });
}
