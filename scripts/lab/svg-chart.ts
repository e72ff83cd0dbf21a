/**
 * A grouped bar chart as plain SVG 1.1 text (data in, text out), for the lab report: one group per step, one bar per
 * series (e.g. p50, p95, p99). Renders in a Markdown viewer or a browser alike.
 * The `perf` branch has its own scripts/bench/svg-chart.ts (line and bar charts); this one is kept small until the
 * two are merged into one.
 */

export interface BarChart {
  title: string;
  yLabel: string;
  /** Series names, in the order of each group's values. */
  series: readonly string[];
  groups: readonly { label: string; values: readonly number[] }[];
  width?: number;
  height?: number;
}

const COLOURS = ["#1f77b4", "#ff7f0e", "#d62728", "#2ca02c", "#9467bd"];
const MARGIN = { top: 40, right: 120, bottom: 60, left: 70 };
const FONT = 'font-family="sans-serif" font-size="12"';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** Round ticks from 0 to at least `max`: steps of 1, 2 or 5 times a power of ten, about five of them. */
export function niceTicks(max: number): number[] {
  if (!Number.isFinite(max) || max <= 0) return [0, 1];
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks = [0];
  while (ticks.at(-1)! < max) ticks.push(Number((ticks.at(-1)! + step).toPrecision(12)));
  return ticks;
}

const fmt = (n: number) => (Math.abs(n) >= 1000 ? Math.round(n).toLocaleString("en-GB") : String(Number(n.toPrecision(3))));

/** Non-finite values (a step that measured nothing) are drawn as no bar. */
export function barChart(chart: BarChart): string {
  const width = chart.width ?? 760;
  const height = chart.height ?? 360;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const finite = chart.groups.flatMap((g) => g.values.filter(Number.isFinite));
  const ticks = niceTicks(Math.max(0, ...finite));
  const top = ticks.at(-1)!;
  const y = (v: number) => MARGIN.top + plotH - (v / top) * plotH;
  const groupW = plotW / Math.max(1, chart.groups.length);
  const barW = (groupW * 0.8) / Math.max(1, chart.series.length);
  const body: string[] = [];
  for (const t of ticks) {
    body.push(`<line x1="${MARGIN.left}" y1="${y(t)}" x2="${MARGIN.left + plotW}" y2="${y(t)}" stroke="#dddddd"/>`);
    body.push(`<text x="${MARGIN.left - 6}" y="${y(t) + 4}" text-anchor="end" ${FONT}>${fmt(t)}</text>`);
  }
  chart.groups.forEach((group, g) => {
    const x0 = MARGIN.left + g * groupW + groupW * 0.1;
    group.values.forEach((value, s) => {
      if (!Number.isFinite(value)) return;
      const h = MARGIN.top + plotH - y(value);
      body.push(`<rect x="${(x0 + s * barW).toFixed(1)}" y="${y(value).toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${COLOURS[s % COLOURS.length]}"><title>${escapeXml(`${group.label} ${chart.series[s]}: ${fmt(value)}`)}</title></rect>`);
    });
    body.push(`<text x="${(x0 + groupW * 0.4).toFixed(1)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle" ${FONT}>${escapeXml(group.label)}</text>`);
  });
  body.push(`<line x1="${MARGIN.left}" y1="${MARGIN.top + plotH}" x2="${MARGIN.left + plotW}" y2="${MARGIN.top + plotH}" stroke="#000000"/>`);
  body.push(`<text x="18" y="${MARGIN.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 18 ${MARGIN.top + plotH / 2})" ${FONT}>${escapeXml(chart.yLabel)}</text>`);
  chart.series.forEach((name, s) => {
    const ly = MARGIN.top + 10 + s * 18;
    body.push(`<rect x="${width - MARGIN.right + 15}" y="${ly - 9}" width="12" height="12" fill="${COLOURS[s % COLOURS.length]}"/>`);
    body.push(`<text x="${width - MARGIN.right + 32}" y="${ly + 1}" ${FONT}>${escapeXml(name)}</text>`);
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-family="sans-serif" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}
