/**
 * The lab's results as a terminal table and as report.md with two SVG charts (latency per step, throughput per
 * step). Pure: results in, text out.
 */
import { PRICE_STYLES } from "./price-probe.ts";
import type { StepResult } from "./run-step.ts";
import { barChart } from "./svg-chart.ts";

export interface LabRun {
  startedAt: string;
  command: string;
  participants: string[];
  /** Who runs without a calculator (its price calls cross the hub). */
  remotePricing: string;
  ratePerSecond: number;
  steps: StepResult[];
}

const ms = (n: number) => (Number.isFinite(n) ? `${Math.round(n)}` : "–");
const kb = (n: number) => (n >= 1024 ? `${(n / 1024).toFixed(1)}k` : `${n}`);
const maxOf = (record: Record<string, number>) => Math.max(0, ...Object.values(record));

export const TABLE_HEADER = ["step", "listed", "crossed", "p50 ms", "p95 ms", "p99 ms", "cars/s", "lost", "dup", "link queue B", "leaf pend B", "hub pend B", "src lag", "REST p50", "gRPC p50", "NATS r/r p50", "price fails"];

export function tableRows(steps: readonly StepResult[]): string[][] {
  return steps.map((s) => [
    s.name,
    String(s.listed),
    `${s.delivered}/${s.expectedDeliveries}`,
    ms(s.latency.p50),
    ms(s.latency.p95),
    ms(s.latency.p99),
    s.crossedPerSecond.toFixed(1),
    String(s.lost),
    String(s.duplicated),
    kb(maxOf(s.pending.linkQueuedBytes)),
    kb(maxOf(s.pending.leafBytes)),
    kb(s.pending.hubBytes),
    String(s.pending.sourceLag),
    ms(s.pricing.REST.p50),
    ms(s.pricing.gRPC.p50),
    ms(s.pricing["NATS req/reply"].p50),
    PRICE_STYLES.map((style) => s.pricing[style].failures).join("/"),
  ]);
}

export function formatTable(steps: readonly StepResult[]): string {
  const rows = [TABLE_HEADER, ...tableRows(steps)];
  const widths = TABLE_HEADER.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ")).join("\n");
}

export function latencyChart(steps: readonly StepResult[]): string {
  return barChart({
    title: "Listed at A → frame on B's live socket, per step",
    yLabel: "ms",
    series: ["p50", "p95", "p99"],
    groups: steps.map((s) => ({ label: s.name, values: [s.latency.p50, s.latency.p95, s.latency.p99] })),
  });
}

export function throughputChart(steps: readonly StepResult[]): string {
  return barChart({
    title: "Cars that crossed per second (all participants), per step",
    yLabel: "cars/s",
    series: ["cars/s"],
    groups: steps.map((s) => ({ label: s.name, values: [s.crossedPerSecond] })),
  });
}

export function pricingChart(steps: readonly StepResult[]): string {
  return barChart({
    title: "Remote price call p50, per step",
    yLabel: "ms",
    series: [...PRICE_STYLES],
    groups: steps.map((s) => ({ label: s.name, values: PRICE_STYLES.map((style) => s.pricing[style].p50) })),
  });
}

function settled(s: StepResult): string {
  if (!s.lost) return `every event in every VEHICLES ${(s.settledMs / 1000).toFixed(1)} s after the listing ended`;
  return `${s.lost} event copies still missing ${(s.settledMs / 1000).toFixed(1)} s after the listing ended (${s.missing.join(", ")}${s.lost > s.missing.length ? ", …" : ""})`;
}

export const CHART_FILES = { latency: "latency.svg", throughput: "throughput.svg", pricing: "pricing.svg" } as const;

export function renderReport(run: LabRun): string {
  const lost = run.steps.reduce((n, s) => n + s.lost, 0);
  const duplicated = run.steps.reduce((n, s) => n + s.duplicated, 0);
  const markdownRows = [TABLE_HEADER, TABLE_HEADER.map(() => "---"), ...tableRows(run.steps)].map((r) => `| ${r.join(" | ")} |`);
  return [
    `# Forecourt lab, ${run.startedAt}`,
    "",
    `Command: \`${run.command}\`. A hub and ${run.participants.length} participants (${run.participants.join(", ")}) on one machine, each its own nats-server, ports and store, each hub link through a link shaper; ${run.participants.length} × ${run.ratePerSecond} cars listed per second. ${run.remotePricing} runs without a price calculator.`,
    "",
    `**Lost: ${lost}, duplicated: ${duplicated}** (every step's listed events, and priced events once their own participant published them, looked up by registration in every participant's VEHICLES after a settle time). Cars not priced yet: ${run.steps.reduce((n, s) => n + s.unpriced.length, 0)}.`,
    "",
    "## Steps",
    "",
    ...run.steps.map((s) => `- **${s.name}**: ${s.description}; ${settled(s)}${s.unpriced.length ? `; ${s.unpriced.length} car(s) not priced yet by their own participant (${s.unpriced.slice(0, 5).join(", ")}${s.unpriced.length > 5 ? ", …" : ""})` : ""}${s.deadLettered ? `; ${s.deadLettered} message(s) dead-lettered` : ""}.`),
    "",
    "Every participant's link gets the step's settings in both directions, so a car listed at A crosses two shaped links (A's up, B's down): 50 ms set adds about 100 ms.",
    "",
    "## Results",
    "",
    ...markdownRows,
    "",
    "- **crossed**: listed frames of other participants' cars seen on the live sockets, of those expected; **p50/p95/p99**: from the POST at A to the frame on B's socket.",
    "- **cars/s**: crossings per second, from the first car listed to the last frame delivered.",
    "- **link queue B**: the most bytes waiting in any shaper (the leaf connection's pending bytes: nats-server 2.9's /leafz reports none); **leaf pend B** / **hub pend B**: /connz pending_bytes on the participants' and the hub's servers; **src lag**: the largest VEHICLES source lag in messages (/jsz).",
    `- **REST / gRPC p50**: GetPrice to a calculator through a shaper with the step's settings (one shaped hop each way); **NATS r/r p50**: GetPrice over NATS request/reply from ${run.remotePricing}, answered across the hub (two shaped links each way); **price fails**: REST/gRPC/NATS calls that failed or timed out (5 s).`,
    "",
    "## Charts",
    "",
    `![latency per step](${CHART_FILES.latency})`,
    "",
    `![throughput per step](${CHART_FILES.throughput})`,
    "",
    `![price call latency per step](${CHART_FILES.pricing})`,
    "",
    "The charts come from scripts/lab/svg-chart.ts, a small bar-chart module; the perf branch has scripts/bench/svg-chart.ts, and the two should become one.",
    "",
  ].join("\n");
}
