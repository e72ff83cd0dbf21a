/**
 * What `bun run bench` prints and writes: tables of each figure beside its baseline with the ratio and the
 * issue's target, the pipeline sweep, CPU per car per process, memory, and the two charts. Pure: results in,
 * text out.
 */
import type { PipelineResult } from "./pipeline.ts";
import type { Throughput } from "./load-tools.ts";
import { barChart, lineChart } from "../report/svg-chart.ts";

export interface Measured extends Throughput {
  /** CPU of the serving process(es) per request, µs. */
  cpuUsPerRequest?: number;
}

export interface Comparison {
  figure: string;
  baseline: string;
  /** Project ÷ baseline requests/s that the figure should reach. */
  target: number;
  project: Measured;
  reference: Measured;
  /** Who generated the load and how. */
  load: string;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  command: string;
  quick: boolean;
  machine: { cores: number; bun: string; natsServer: string; loadAtStart: number[]; loadAtEnd: number[] };
  comparisons: Comparison[];
  pipeline: PipelineResult[];
  /** The end-to-end targets are set at this rate. */
  targetRate: number;
  memory: { idle: Record<string, number>; afterLoad: Record<string, number> };
  /** Lines on how the figures were taken, printed under the tables. */
  notes: string[];
}

export const E2E_TARGETS = { p50Ms: 5, p99Ms: 25, cpuMsPerCar: 1.2 };
export const IDLE_RSS_TARGET_MIB = 400;

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-GB") : "—");
const fixed = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "—");
const ms = (n: number) => (!Number.isFinite(n) ? "—" : n >= 100 ? `${int(n)} ms` : `${fixed(n, n >= 10 ? 1 : 2)} ms`);

export function ratio(c: Comparison): number {
  return c.project.perSecond / c.reference.perSecond;
}

/**
 * Baseline CPU per request ÷ project CPU per request: what the ratio would be if both were held by the CPU alone.
 * It depends far less on what else the machine is doing than requests/s do.
 */
export function cpuRatio(c: Comparison): number {
  return (c.reference.cpuUsPerRequest ?? Number.NaN) / (c.project.cpuUsPerRequest ?? Number.NaN);
}

/** "met" or how far from the target, as a share of it. */
export function verdict(value: number, target: number, higherIsBetter: boolean): string {
  if (!Number.isFinite(value)) return "not measured";
  const met = higherIsBetter ? value >= target : value < target;
  if (met) return "met";
  return higherIsBetter ? `missed: ${fixed(value / target, 2)}× of target` : `missed: ${fixed(value / target, 1)}× the limit`;
}

/** Processes in a stable order: the broker first, apps in start order, then the runner and the bench itself. */
export function processOrder(names: Iterable<string>): string[] {
  const order = ["nats-server", "pricing", "api", "pricer", "audit-log", "web", "dev runner", "bench client"];
  return [...new Set(names)].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
}

/** A plain-text table: first column left-aligned, the rest right-aligned. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function markdownTable(header: string[], rows: string[][]): string {
  const row = (cells: string[]) => `| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
  return [row(header), `|${header.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`, ...rows.map(row)].join("\n");
}

function comparisonRows(report: BenchReport): { header: string[]; rows: string[][] } {
  const header = ["figure", "project req/s", "baseline req/s", "ratio", "target", "verdict", "p50 / p99 project", "p50 / p99 baseline", "server CPU µs/req (project / baseline)", "CPU ratio"];
  const rows = report.comparisons.map((c) => [
    c.figure,
    int(c.project.perSecond) + (c.project.errors ? ` (${int(c.project.errors)} errors)` : ""),
    int(c.reference.perSecond) + (c.reference.errors ? ` (${int(c.reference.errors)} errors)` : ""),
    fixed(ratio(c)),
    `≥ ${fixed(c.target)}`,
    verdict(ratio(c), c.target, true),
    `${ms(c.project.p50Ms)} / ${ms(c.project.p99Ms)}`,
    `${ms(c.reference.p50Ms)} / ${ms(c.reference.p99Ms)}`,
    `${c.project.cpuUsPerRequest === undefined ? "—" : int(c.project.cpuUsPerRequest)} / ${c.reference.cpuUsPerRequest === undefined ? "—" : int(c.reference.cpuUsPerRequest)}`,
    fixed(cpuRatio(c)),
  ]);
  return { header, rows };
}

const totalCpu = (r: PipelineResult) => Object.entries(r.cpuMsPerCar).filter(([name]) => name !== "bench client").reduce((sum, [, v]) => sum + v, 0);

function pipelineRows(report: BenchReport): { header: string[]; rows: string[][] } {
  const header = ["cars/s asked", "cars sent", "priced", "kept up (cars/s)", "POST→priced p50", "p99", "max", "POST p50 / p99", "CPU ms/car (stack)", "errors"];
  const rows = report.pipeline.map((r) => [
    int(r.rate),
    int(r.sent),
    `${int(r.priced)}${r.priced < r.created ? ` of ${int(r.created)}` : ""}`,
    int(r.keptUp),
    ms(r.latency.p50),
    ms(r.latency.p99),
    ms(r.latency.max),
    `${ms(r.postLatency.p50)} / ${ms(r.postLatency.p99)}`,
    fixed(totalCpu(r), 2),
    `${r.postErrors ? `${int(r.postErrors)} POST` : ""}${r.duplicates ? ` ${int(r.duplicates)} duplicate priced` : ""}`.trim() || "0",
  ]);
  return { header, rows };
}

function cpuRows(report: BenchReport): { header: string[]; rows: string[][] } {
  const names = processOrder(report.pipeline.flatMap((r) => Object.keys(r.cpuMsPerCar)));
  const header = ["CPU ms per car", ...report.pipeline.map((r) => `${int(r.rate)}/s`)];
  const rows = names.map((name) => [name, ...report.pipeline.map((r) => fixed(r.cpuMsPerCar[name] ?? Number.NaN, 3))]);
  rows.push(["total (without bench client)", ...report.pipeline.map((r) => fixed(totalCpu(r), 3))]);
  return { header, rows };
}

/** The system itself: nats-server and the apps, without the dev runner (bun run dev's own cost) or the bench. */
const isSystem = (name: string) => name !== "bench client" && name !== "dev runner";

function memoryRows(report: BenchReport): { header: string[]; rows: string[][] } {
  const names = processOrder([...Object.keys(report.memory.idle), ...Object.keys(report.memory.afterLoad)]).filter((n) => n !== "bench client");
  const rows = names.map((name) => [name, fixed(report.memory.idle[name] ?? Number.NaN, 1), fixed(report.memory.afterLoad[name] ?? Number.NaN, 1)]);
  const sum = (m: Record<string, number>, which: (n: string) => boolean) => names.filter(which).reduce((s, n) => s + (m[n] ?? 0), 0);
  rows.push(["system (nats-server and the apps)", fixed(sum(report.memory.idle, isSystem), 1), fixed(sum(report.memory.afterLoad, isSystem), 1)]);
  rows.push(["with the dev runner", fixed(sum(report.memory.idle, () => true), 1), fixed(sum(report.memory.afterLoad, () => true), 1)]);
  return { header: ["RSS MiB", "idle after start", "after load"], rows };
}

export function idleRssTotal(report: BenchReport): number {
  return Object.entries(report.memory.idle).filter(([n]) => isSystem(n)).reduce((s, [, v]) => s + v, 0);
}

/** The issue's targets, each with the figure measured and whether it was met. */
export function targetRows(report: BenchReport): string[][] {
  const rows: string[][] = [];
  const at = report.pipeline.find((r) => r.rate === report.targetRate);
  if (at) {
    rows.push([`${report.targetRate} cars/s: POST → priced frame p50 < ${E2E_TARGETS.p50Ms} ms`, ms(at.latency.p50), verdict(at.latency.p50, E2E_TARGETS.p50Ms, false)]);
    rows.push([`${report.targetRate} cars/s: POST → priced frame p99 < ${E2E_TARGETS.p99Ms} ms`, ms(at.latency.p99), verdict(at.latency.p99, E2E_TARGETS.p99Ms, false)]);
    rows.push([`${report.targetRate} cars/s: CPU per car, all processes < ${E2E_TARGETS.cpuMsPerCar} ms`, `${fixed(totalCpu(at), 2)} ms`, verdict(totalCpu(at), E2E_TARGETS.cpuMsPerCar, false)]);
    rows.push([`${report.targetRate} cars/s: every car priced`, `${int(at.priced)} of ${int(at.created)}`, at.priced >= at.created && at.created === at.sent ? "met" : "missed"]);
  }
  for (const c of report.comparisons) rows.push([`${c.figure} ≥ ${fixed(c.target)} × ${c.baseline}`, fixed(ratio(c)), verdict(ratio(c), c.target, true)]);
  if (Object.keys(report.memory.idle).length) rows.push([`idle RSS, nats-server and every app < ${IDLE_RSS_TARGET_MIB} MiB`, `${fixed(idleRssTotal(report), 0)} MiB`, verdict(idleRssTotal(report), IDLE_RSS_TARGET_MIB, false)]);
  return rows;
}

export function latencyChart(report: BenchReport): string {
  const points = (pick: (r: PipelineResult) => number) => report.pipeline.map((r) => [r.rate, pick(r)] as [number, number]);
  return lineChart({
    title: "POST → priced frame on a live WebSocket",
    xLabel: "cars per second POSTed (open loop)",
    yLabel: "latency, ms",
    logY: true,
    series: [
      { name: "p50", points: points((r) => r.latency.p50) },
      { name: "p99", points: points((r) => r.latency.p99) },
      { name: `target p50 (${E2E_TARGETS.p50Ms} ms)`, points: points(() => E2E_TARGETS.p50Ms) },
      { name: `target p99 (${E2E_TARGETS.p99Ms} ms)`, points: points(() => E2E_TARGETS.p99Ms) },
    ],
  });
}

/** Each figure as a share of its baseline (which is 100 %), by requests/s and by CPU per request, beside its target. */
export function throughputChart(report: BenchReport): string {
  const percent = (n: number) => Math.round(n * 1000) / 10;
  return barChart({
    title: "Throughput as a share of its baseline (baseline = 100 %)",
    yLabel: "% of the baseline",
    width: Math.max(720, 150 * report.comparisons.length + 220),
    groups: report.comparisons.map((c) => ({
      label: c.figure.length > 22 ? `${c.figure.slice(0, 21)}…` : c.figure,
      bars: [
        { name: "requests/s", value: percent(ratio(c)) },
        { name: "by CPU per request", value: percent(cpuRatio(c)) },
        { name: "target", value: percent(c.target) },
      ],
    })),
  });
}

export function consoleSummary(report: BenchReport): string {
  const parts: string[] = [];
  const add = (title: string, t: { header: string[]; rows: string[][] }) => t.rows.length && parts.push(`\n${title}\n${textTable(t.header, t.rows)}`);
  add("Throughput beside each baseline", comparisonRows(report));
  add("End to end: POST → priced frame on a live socket", pipelineRows(report));
  add("CPU per car, per process", cpuRows(report));
  add("Memory", memoryRows(report));
  add("Targets (issue 15)", { header: ["target", "measured", "verdict"], rows: targetRows(report) });
  parts.push(`\nload average at start ${report.machine.loadAtStart.join(" ")}, at end ${report.machine.loadAtEnd.join(" ")} (${report.machine.cores} cores)`);
  return parts.join("\n");
}

export function markdownReport(report: BenchReport, charts: { latency: string; throughput: string }): string {
  const section = (title: string, t: { header: string[]; rows: string[][] }) => (t.rows.length ? [`## ${title}`, "", markdownTable(t.header, t.rows), ""] : []);
  return [
    `# Forecourt bench, ${report.startedAt}`,
    "",
    `\`${report.command}\`${report.quick ? " (quick: a smoke run, too short for figures to mean much)" : ""}, finished ${report.finishedAt}.`,
    `Machine: ${report.machine.cores} cores, Bun ${report.machine.bun}, ${report.machine.natsServer}. Load average at start ${report.machine.loadAtStart.join(" ")}, at end ${report.machine.loadAtEnd.join(" ")}: figures taken beside other work are noisy; compare ratios, and re-run on a quiet machine.`,
    "",
    ...section("Targets (issue 15)", { header: ["target", "measured", "verdict"], rows: targetRows(report) }),
    ...section("Throughput beside each baseline", comparisonRows(report)),
    `![throughput](${charts.throughput})`,
    "",
    ...section("End to end: POST → priced frame on a live socket", pipelineRows(report)),
    `![latency](${charts.latency})`,
    "",
    ...section("CPU per car, per process", cpuRows(report)),
    ...section("Memory (RSS)", memoryRows(report)),
    "## How these were taken",
    "",
    ...report.comparisons.map((c) => `- **${c.figure}**: ${c.load}; baseline: ${c.baseline}.`),
    ...report.notes.map((n) => `- ${n}`),
    "",
  ].join("\n");
}
