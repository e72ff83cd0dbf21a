/** The end-of-run tables: what the load saw, what NATS and the audit file hold, and how fast each fault healed. */
import type { FaultKind } from "./plan.ts";
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
  error?: string;
}

const FAULT_NAMES: Record<FaultKind, string> = { "kill-app": "SIGKILL", "restart-nats": "NATS restart (SIGTERM)", "kill-nats": "NATS SIGKILL" };

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
    `${seconds(f.atMs).padStart(7)}  ${FAULT_NAMES[f.kind]} ${f.kind === "kill-app" ? f.target : ""}`.trimEnd(),
    f.error
      ? `FAILED: ${f.error}`
      : `down ${seconds(f.downMs)}, ready ${f.readyAfterMs === undefined ? "?" : seconds(f.readyAfterMs)} after restart${f.slowest ? ` (last: ${f.slowest})` : ""}`,
  ]);
  const lines = ["Results", results, "", `Faults (${faults.length})`, faults.length ? table(faultRows) : "  none"];
  lines.push("", `Exits nobody asked for (${exits.length})`, ...(exits.length ? exits.map((e) => `  ${e.name} exited with code ${e.code}: ${e.stderr}`) : ["  none"]));
  for (const { registration, reason } of [...v.lost.slice(0, 10), ...v.duplicated.slice(0, 10)]) lines.push(`  ! ${registration}: ${reason}`);
  lines.push("", passed(v) ? "PASS: nothing lost, nothing duplicated, no 500" : "FAIL: see the rows above");
  return lines.join("\n");
}
