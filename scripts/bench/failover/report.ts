/** What clients got in each phase of a run, as figures and a plain-text table. Pure. */
import type { PostResult } from "./load.ts";
import type { Settled } from "./verify.ts";

export interface PhaseStats {
  phase: string;
  posts: number;
  created: number;
  /** Share of POSTs not answered 201, in percent. */
  errorRate: number;
  /** Count per status ("0" = no answer). */
  statuses: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
  /** One example of each distinct failure: status, Retry-After and detail. */
  failures: { status: number; retryAfter?: string; detail?: string; count: number }[];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function phaseStats(results: PostResult[], phases: string[]): PhaseStats[] {
  return phases.map((phase) => {
    const mine = results.filter((r) => r.phase === phase);
    const durations = mine.map((r) => r.durationMs).sort((a, b) => a - b);
    const statuses: Record<string, number> = {};
    const failures = new Map<string, PhaseStats["failures"][number]>();
    for (const r of mine) {
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.status === 201) continue;
      // Numbers in a detail (registrations, sequences) would make every failure distinct.
      const key = `${r.status}|${r.retryAfter}|${(r.detail ?? "").replace(/\d+/g, "#")}`;
      const seen = failures.get(key);
      if (seen) seen.count++;
      else failures.set(key, { status: r.status, retryAfter: r.retryAfter, detail: r.detail, count: 1 });
    }
    const created = statuses["201"] ?? 0;
    return {
      phase,
      posts: mine.length,
      created,
      errorRate: mine.length ? (100 * (mine.length - created)) / mine.length : 0,
      statuses,
      p50: percentile(durations, 50),
      p99: percentile(durations, 99),
      max: durations.at(-1) ?? 0,
      failures: [...failures.values()].sort((a, b) => b.count - a.count),
    };
  });
}

const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;

export function formatPhaseTable(stats: PhaseStats[]): string {
  const rows = [
    ["phase", "POSTs", "201", "errors", "statuses", "p50", "p99", "max"],
    ...stats.map((s) => [
      s.phase,
      String(s.posts),
      String(s.created),
      `${s.errorRate.toFixed(1)}%`,
      Object.entries(s.statuses).map(([status, n]) => `${status === "0" ? "no answer" : status}×${n}`).join(" "),
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
      lines.push(`${s.phase}: ${f.count}× ${f.status === 0 ? "no answer" : `HTTP ${f.status}`}${f.retryAfter ? ` Retry-After: ${f.retryAfter}` : ""}: ${f.detail ?? ""}`);
    }
  }
  return lines.length ? lines.join("\n") : "no failed POST";
}

export function formatVerdict({ verdict: v, missingInBucket, unpricedInBucket, bucketNotes, settleMs }: Settled): string {
  const list = (names: string[]) => (names.length ? ` (${names.slice(0, 5).join(", ")}${names.length > 5 ? ", …" : ""})` : "");
  return [
    `accepted (201): ${v.accepted}`,
    `lost (201 but never listed): ${v.lost.length}${list(v.lost)}`,
    `listed more than once: ${v.listedTwice.length}${list(v.listedTwice)}`,
    `listed but never priced: ${v.unpriced.length}${list(v.unpriced)}`,
    `priced more than once: ${v.pricedTwice.length}${list(v.pricedTwice)}`,
    `missing from the vehicles bucket: ${missingInBucket.length}${list(missingInBucket)}; stored without its price: ${unpricedInBucket.length}${list(unpricedInBucket)}`,
    ...bucketNotes.map((note) => `  ${note}`),
    `failed POSTs whose car was stored anyway: ${v.storedDespiteError}`,
    `audit log: ${v.audit.lines} lines, ${v.audit.duplicates.length} duplicated, ${v.audit.gaps.length} missing${list(v.audit.gaps.map(String))}, ${v.audit.behind} behind the stream, ${v.audit.phantoms.length} not in the stream`,
    `settled ${(settleMs / 1000).toFixed(1)} s after the load stopped`,
  ].join("\n");
}
