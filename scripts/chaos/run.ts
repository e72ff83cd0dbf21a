/**
 * One fault run: start the stack, drive the load, carry out the fault plan (timing each recovery), stop the load,
 * give the system time to finish what it owes, then verify from NATS and the audit file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CONSUMERS, STREAMS } from "@forecourt/shared/contracts";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { DealerStore, openDealersBucket } from "../../apps/api/src/dealers/dealer-store.ts";
import type { ChaosOptions } from "./args.ts";
import { startLoad, type Load } from "./load.ts";
import { planFaults, type Fault } from "./plan.ts";
import { seededRandom } from "./random.ts";
import type { FaultRecord } from "./report.ts";
import { startStack, type AppName, type Stack } from "./stack.ts";
import { analyse, observe, passed, type Verdict } from "./verify.ts";

export const INSTANCES: Record<AppName, number> = { pricing: 1, api: 2, pricer: 2, "audit-log": 1, web: 1 };

export interface RunResult {
  verdict: Verdict;
  faults: FaultRecord[];
  /** Instances that exited on their own during the run. */
  exits: Stack["exits"];
  dir: string;
  settled: boolean;
}

const say = (line: string) => console.error(line);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

async function carryOut(stack: Stack, fault: Fault): Promise<FaultRecord> {
  const record: FaultRecord = { ...fault };
  try {
    if (fault.kind === "kill-app") {
      await stack.kill(fault.target);
      await Bun.sleep(fault.downMs);
      await stack.start(fault.target);
      record.readyAfterMs = await stack.whenReady(fault.target);
      return record;
    }
    if (fault.kind === "restart-nats") await stack.nats.stop();
    else await stack.nats.kill();
    await Bun.sleep(fault.downMs);
    await stack.nats.start();
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

function progress(load: Load, started: number, done: number, total: number, last: FaultRecord | undefined) {
  const c = load.counts();
  const statuses = Object.entries(c.byStatus).filter(([s]) => s !== "201").map(([s, n]) => `${s}:${n}`).join(" ");
  const lastFault = last ? ` | last: ${last.kind === "kill-app" ? `kill ${last.target}` : last.kind} ${last.error ? "FAILED" : `ready in ${secs(last.readyAfterMs ?? 0)}`}` : "";
  say(`[${secs(performance.now() - started)}] sent ${c.sent} accepted ${c.accepted} refused ${c.refused}${statuses ? ` (${statuses})` : ""} ambiguous ${c.ambiguous} not sent ${c.notSent} in flight ${c.inFlight} | faults ${done}/${total}${lastFault}`);
}

export async function runChaos(options: ChaosOptions, headers: Record<string, string> = {}): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), "forecourt-chaos-"));
  const instances = Object.fromEntries(Object.entries(INSTANCES).map(([app, n]) => [app, Array.from({ length: n }, (_, i) => `${app}-${i + 1}`)]));
  const plan = planFaults(seededRandom(options.seed), { durationMs: options.durationMs, instances, appFaultEveryMs: options.appFaultEveryMs, recoveryMs: options.recoveryMs, natsRestarts: options.natsRestarts, natsKills: options.natsKills });
  say(`chaos: seed ${options.seed}, ${options.rate} cars/s for ${secs(options.durationMs)}, ${plan.length} faults planned; run folder ${dir}`);

  // The load is one dealer writing far faster than a dealer may: no write rate limit here.
  const stack = await startStack({ dir, instances: INSTANCES, env: { API_WRITES_PER_SECOND: "0" } });
  say(`chaos: stack ready (nats ${stack.nats.url}; ${stack.specs.map((s) => s.name).join(", ")})`);
  const key = await new DealerStore(await openDealersBucket(jetstream(stack.nc))).ensureKey("chaos", undefined);
  const started = performance.now();
  const load = startLoad({ rate: options.rate, targets: stack.apiUrls, random: seededRandom(options.seed ^ 0x5bd1e995), prefix: `C${(options.seed % 46_656).toString(36).toUpperCase().padStart(3, "0")}`, headers: { authorization: `Bearer ${key.key}`, ...headers } });
  const records: FaultRecord[] = [];
  const running: Promise<void>[] = [];
  let last: FaultRecord | undefined;
  const ticker = setInterval(() => progress(load, started, records.length, plan.length, last), 5_000);
  try {
    for (const fault of plan) {
      const wait = started + fault.atMs - performance.now();
      if (wait > 0) await Bun.sleep(wait);
      say(`[${secs(performance.now() - started)}] fault: ${fault.kind === "kill-app" ? `SIGKILL ${fault.target}` : fault.kind}, down ${secs(fault.downMs)}`);
      running.push(carryOut(stack, fault).then((record) => void records.push((last = record))));
    }
    const end = started + options.durationMs - performance.now();
    if (end > 0) await Bun.sleep(end);
    await load.stop();
    await Promise.all(running);
    clearInterval(ticker);
    progress(load, started, records.length, plan.length, last);

    // What the system still owes (retries, the outbox sweep, the audit log catching up) must land before judging.
    const js = jetstream(stack.nc);
    const jsm = await jetstreamManager(stack.nc);
    const settleStart = performance.now();
    let verdict = analyse(load.attempts, await observe(js, jsm, stack.auditPath));
    let settled = false;
    let still: string | undefined = "not checked";
    while (performance.now() - settleStart < options.settleMs) {
      still = await busy(stack).catch((error: Error) => error.message);
      if (passed(verdict) && still === undefined) {
        settled = true;
        break;
      }
      await Bun.sleep(2_000);
      verdict = analyse(load.attempts, await observe(js, jsm, stack.auditPath));
    }
    say(`chaos: ${settled ? "settled" : `did not settle (${still ?? "verdict failing"})`} ${secs(performance.now() - settleStart)} after the load stopped`);
    records.sort((a, b) => a.atMs - b.atMs);
    return { verdict, faults: records, exits: stack.exits, dir, settled };
  } finally {
    clearInterval(ticker);
    await load.stop();
    await stack.stop();
  }
}

/** Removes the run folder unless asked to keep it or the run failed (its logs explain the failure). */
export function tidy(result: RunResult, keep: boolean): void {
  if (keep || !passed(result.verdict)) say(`chaos: run folder kept: ${result.dir} (audit file, logs/ with each instance's warnings and errors)`);
  else rmSync(result.dir, { recursive: true, force: true });
}
