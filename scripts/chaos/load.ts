/**
 * The load driver: POSTs new cars at a steady rate to whichever API instances are up, and records what became of
 * each attempt. An answer is an answer (201 accepted, anything else refused, by status); a connection lost after
 * the request went out is ambiguous (the car may or may not be stored); a request that could not even be sent
 * (no instance up, connection refused) is not sent. Takes extra headers, for APIs that want a dealer key. Each
 * attempt is recorded under the load's current `phase`, so a fault programme can count what clients got during
 * each fault (report.ts).
 */
import { SEED_CATALOG } from "@forecourt/shared/catalog";
import type { Random } from "./random.ts";

export type Outcome = "accepted" | "refused" | "ambiguous" | "not-sent";

export interface Attempt {
  registration: string;
  outcome: Outcome;
  /** The HTTP status when there was an answer. */
  status?: number;
  /** Why an attempt got no answer: the client's error code or name. */
  error?: string;
  /** The API base URL it went to. */
  target?: string;
  latencyMs: number;
  /** The load's phase when it was sent (default "load"). */
  phase?: string;
  /** Milliseconds from the start of the load to this attempt's send. */
  startedAtMs?: number;
  /** For an answer other than 201: its problem detail (or the start of its body) and Retry-After. */
  detail?: string;
  retryAfter?: string;
}

export interface LoadOptions {
  /** Cars per second. */
  rate: number;
  /** Base URLs of the API instances up now; asked before every request. */
  targets: () => string[];
  random: Random;
  /** Registration prefix (the rest is a counter): at most 4 characters, so registrations stay within 10. */
  prefix: string;
  headers?: Record<string, string>;
  /** A request without an answer by then counts as ambiguous. */
  timeoutMs?: number;
}

export interface LoadCounts {
  sent: number;
  accepted: number;
  refused: number;
  ambiguous: number;
  notSent: number;
  inFlight: number;
  byStatus: Record<string, number>;
}

export interface Load {
  attempts: Attempt[];
  /** The label new attempts are recorded under. */
  phase: string;
  /** `performance.now()` when the load started: `startedAtMs` counts from here. */
  origin: number;
  counts(): LoadCounts;
  /** Stops sending and waits for the answers still outstanding. */
  stop(): Promise<void>;
}

const COLORS = ["Red", "Blue", "Black", "White", "Silver", "Grey", "Green", "Yellow"];
/** Connection errors that mean the request never reached a server (Bun's fetch codes). */
const NOT_SENT_CODES = new Set(["ConnectionRefused", "ECONNREFUSED"]);

export function carFor(random: Random, registration: string) {
  const model = random.pick(SEED_CATALOG.models);
  return { registration, modelCode: model.code, color: random.pick(COLORS), year: random.int(2005, 2025) };
}

/** What a refusal said: a problem's `detail`, else the start of the body. */
export function detailOf(body: string): string {
  try {
    const problem = JSON.parse(body) as { detail?: unknown };
    if (typeof problem.detail === "string") return problem.detail;
  } catch {
    // not JSON: keep the text
  }
  return body.slice(0, 200);
}

function errorCode(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown };
  return typeof e?.code === "string" ? e.code : typeof e?.name === "string" ? e.name : "Error";
}

export function startLoad(options: LoadOptions): Load {
  const attempts: Attempt[] = [];
  const begun = performance.now();
  const counts: LoadCounts = { sent: 0, accepted: 0, refused: 0, ambiguous: 0, notSent: 0, inFlight: 0, byStatus: {} };
  const pending = new Set<Promise<void>>();
  const timeoutMs = options.timeoutMs ?? 10_000;
  let running = true;
  let turn = 0;

  const record = (attempt: Attempt) => {
    attempts.push(attempt);
    if (attempt.outcome === "accepted") counts.accepted++;
    else if (attempt.outcome === "refused") counts.refused++;
    else if (attempt.outcome === "ambiguous") counts.ambiguous++;
    else counts.notSent++;
    if (attempt.status !== undefined) counts.byStatus[attempt.status] = (counts.byStatus[attempt.status] ?? 0) + 1;
  };

  let pacer: Promise<void> = Promise.resolve();
  const load: Load = {
    attempts,
    phase: "load",
    origin: begun,
    counts: () => ({ ...counts, byStatus: { ...counts.byStatus } }),
    async stop() {
      running = false;
      await pacer;
      await Promise.allSettled([...pending]);
    },
  };

  const send = async (n: number) => {
    const registration = `${options.prefix}${String(n).padStart(10 - options.prefix.length, "0")}`;
    const body = JSON.stringify(carFor(options.random, registration));
    const targets = options.targets();
    const started = performance.now();
    const at = { phase: load.phase, startedAtMs: started - begun };
    if (targets.length === 0) return record({ registration, outcome: "not-sent", error: "no API instance up", latencyMs: 0, ...at });
    const target = targets[turn++ % targets.length]!;
    counts.sent++;
    try {
      const res = await fetch(`${target}/api/vehicles`, {
        method: "POST",
        headers: { "content-type": "application/json", ...options.headers },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      const refusal = res.status === 201 ? {} : { detail: detailOf(text), retryAfter: res.headers.get("retry-after") ?? undefined };
      record({ registration, target, outcome: res.status === 201 ? "accepted" : "refused", status: res.status, latencyMs: performance.now() - started, ...at, ...refusal });
    } catch (error) {
      const code = errorCode(error);
      record({ registration, target, outcome: NOT_SENT_CODES.has(code) ? "not-sent" : "ambiguous", error: code, latencyMs: performance.now() - started, ...at });
    }
  };

  const interval = 1_000 / options.rate;
  pacer = (async () => {
    for (let n = 0; running; n++) {
      // Paced against the start, not the last send: a slow moment is caught up rather than lost.
      const wait = begun + n * interval - performance.now();
      if (wait > 0) await Bun.sleep(wait);
      if (!running) break;
      const task: Promise<void> = send(n).finally(() => {
        pending.delete(task);
        counts.inFlight = pending.size;
      });
      pending.add(task);
      counts.inFlight = pending.size;
    }
  })();

  return load;
}
