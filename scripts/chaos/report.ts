/**
 * The end-of-run tables: what the load saw, what NATS and the audit file hold, and how fast each fault healed; for a
 * fault programme (--cluster) also what clients got during each phase: error rate, statuses, latency, and one example
 * of each failure with its Retry-After.
 */
import type { Attempt } from "./load.ts";
import type { FaultKind } from "./plan.ts";
import { percentile } from "../report/percentiles.ts";
import { passed, type Verdict } from "./verify.ts";

export interface FaultRecord {
  atMs: number;
  kind: FaultKind;
  target: string;
  downMs: number;
  /** From the restart until the target (for NATS: every app) was ready again. */
  readyAfterMs?: number;
  /** For NATS faults: the app that took longest to be ready. */
  slowest?: string;
  /** Why the readiness after it could not be timed (say, not every app ready within a quick phase); not a failure. */
  error?: string;
}

const FAULT_NAMES: Record<FaultKind, string> = {
  "kill-app": "SIGKILL",
  "restart-nats": "NATS restart (SIGTERM)",
  "kill-nats": "NATS SIGKILL",
  "kill-server": "NATS SIGKILL",
  "restart-server": "NATS restart (SIGTERM)",
};
/** Faults whose target is worth naming (one NATS server has no name worth printing). */
const NAMED = new Set<FaultKind>(["kill-app", "kill-server", "restart-server"]);

function table(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join("\n");
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const byStatus = (counts: Record<string, number>) =>
  Object.keys(counts).length === 0 ? "none" : Object.entries(counts).map(([status, n]) => `${status}: ${n}`).join(", ");

export function formatReport(verdict: Verdict, faults: FaultRecord[], exits: { name: string; code: number | null; stderr: string }[] = []): string {
  const v = verdict;
  const results = table([
    ["attempts", String(v.attempts)],
    ["accepted (201)", String(v.accepted)],
    ["refused (answered, not 201)", `${v.refused}${v.refused ? ` (${byStatus(v.refusedByStatus)})` : ""}`],
    ["ambiguous (connection lost after send)", String(v.ambiguous)],
    ["not sent (no API up, connection refused)", String(v.notSent)],
    ["stored in the vehicles bucket", `${v.stored} (of them not accepted: ${v.storedWithoutAccept})`],
    ["listed exactly once", `${v.listedOnce} of ${v.expected}`],
    ["priced exactly once", `${v.pricedOnce} of ${v.expected}`],
    ["price recorded on the car", `${v.priceRecorded} of ${v.expected}`],
    ["lost", String(v.lost.length)],
    ["duplicated", String(v.duplicated.length)],
    ["audit lines", String(v.auditLines)],
    ["audit gaps", String(v.auditGaps)],
    ["audit duplicates", String(v.auditDuplicates)],
    ["dead letters", String(v.deadLetters)],
    ["5xx by status", byStatus(v.serverErrors)],
  ]);
  const faultRows: [string, string][] = faults.map((f) => [
    `${seconds(f.atMs).padStart(7)}  ${FAULT_NAMES[f.kind]} ${NAMED.has(f.kind) ? f.target : ""}`.trimEnd(),
    f.error
      ? // Recorded, not judged: the verdict (and, for the cluster, every app ready at the end) decides PASS or FAIL.
        `down ${seconds(f.downMs)}; ${f.error}`
      : `down ${seconds(f.downMs)}, ready ${f.readyAfterMs === undefined ? "?" : seconds(f.readyAfterMs)} after restart${f.slowest ? ` (last: ${f.slowest})` : ""}`,
  ]);
  const lines = ["Results", results, "", `Faults (${faults.length})`, faults.length ? table(faultRows) : "  none"];
  lines.push("", `Exits nobody asked for (${exits.length})`, ...(exits.length ? exits.map((e) => `  ${e.name} exited with code ${e.code}: ${e.stderr}`) : ["  none"]));
  for (const { registration, reason } of [...v.lost.slice(0, 10), ...v.duplicated.slice(0, 10)]) lines.push(`  ! ${registration}: ${reason}`);
  lines.push("", passed(v) ? "PASS: nothing lost, nothing duplicated, no 500" : "FAIL: see the rows above");
  return lines.join("\n");
}

export interface PhaseStats {
  phase: string;
  posts: number;
  created: number;
  /** Share of attempts not answered 201, in percent. */
  errorRate: number;
  /** Count per status; "no answer" (connection lost or timed out after sending), "not sent". */
  statuses: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
  /** One example of each distinct failure: what came back, Retry-After and detail. */
  failures: { answer: string; retryAfter?: string; detail?: string; count: number }[];
}

const answerOf = (a: Attempt) => (a.status !== undefined ? String(a.status) : a.outcome === "not-sent" ? "not sent" : "no answer");

/** Per phase, in the order given: what the attempts sent during it got. Latency counts answered and unanswered sends. */
export function phaseStats(attempts: Attempt[], phases: string[]): PhaseStats[] {
  return phases.map((phase) => {
    const mine = attempts.filter((a) => (a.phase ?? "load") === phase);
    const durations = mine.filter((a) => a.outcome !== "not-sent").map((a) => a.latencyMs).sort((a, b) => a - b);
    const statuses: Record<string, number> = {};
    const failures = new Map<string, PhaseStats["failures"][number]>();
    for (const a of mine) {
      const answer = answerOf(a);
      statuses[answer] = (statuses[answer] ?? 0) + 1;
      if (a.outcome === "accepted") continue;
      // Numbers in a detail (registrations, sequences) would make every failure distinct.
      const detail = a.detail ?? a.error;
      const key = `${answer}|${a.retryAfter}|${(detail ?? "").replace(/\d+/g, "#")}`;
      const seen = failures.get(key);
      if (seen) seen.count++;
      else failures.set(key, { answer, retryAfter: a.retryAfter, detail, count: 1 });
    }
    const created = statuses["201"] ?? 0;
    return {
      phase,
      posts: mine.length,
      created,
      errorRate: mine.length ? (100 * (mine.length - created)) / mine.length : 0,
      statuses,
      // A phase with no answers shows 0, not NaN.
      p50: durations.length ? percentile(durations, 0.5) : 0,
      p99: durations.length ? percentile(durations, 0.99) : 0,
      max: durations.at(-1) ?? 0,
      failures: [...failures.values()].sort((a, b) => b.count - a.count),
    };
  });
}

const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;

/** A Markdown table, one row per phase, with the action taken in it. */
export function formatPhaseTable(stats: PhaseStats[], actions: Record<string, string> = {}): string {
  const rows = [
    ["phase", "what was done", "POSTs", "201", "errors", "statuses", "p50", "p99", "max"],
    ...stats.map((s) => [
      s.phase,
      actions[s.phase] ?? "",
      String(s.posts),
      String(s.created),
      `${s.errorRate.toFixed(1)}%`,
      Object.entries(s.statuses).map(([status, n]) => `${status}×${n}`).join(" "),
      ms(s.p50),
      ms(s.p99),
      ms(s.max),
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(" | ")} |`;
  return [line(rows[0]!), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)].join("\n");
}

export function formatFailures(stats: PhaseStats[]): string {
  const lines: string[] = [];
  for (const s of stats) {
    for (const f of s.failures.slice(0, 4)) {
      const answer = /^\d+$/.test(f.answer) ? `HTTP ${f.answer}` : f.answer;
      lines.push(`${s.phase}: ${f.count}× ${answer}${f.retryAfter ? ` Retry-After: ${f.retryAfter}` : ""}: ${f.detail ?? ""}`);
    }
  }
  return lines.length ? lines.join("\n") : "no failed POST";
}
