/**
 * The SVG charts of the reports scripts write (`bun run bench`, `bun run lab`), pure (data in, text out) so they are
 * tested without a browser: a line chart (latency against rate) and a grouped bar chart (throughput beside each
 * baseline; a lab step's percentiles). Non-finite values (something that measured nothing) are drawn as nothing.
 * Plain SVG 1.1 with inline styles, so it renders in a Markdown viewer, a browser or an image tool alike.
 */

export interface Series {
  name: string;
  points: readonly (readonly [number, number])[];
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  /** A logarithmic y axis, for latencies that span 1 ms to seconds. */
  logY?: boolean;
  width?: number;
  height?: number;
}

export interface BarGroup {
  label: string;
  bars: readonly { name: string; value: number }[];
}

export interface BarChartOptions {
  title: string;
  yLabel: string;
  groups: readonly BarGroup[];
  width?: number;
  height?: number;
}

const COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];
const MARGIN = { top: 40, right: 170, bottom: 50, left: 70 };
const FONT = 'font-family="sans-serif" font-size="12"';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** Round tick values covering [min, max]: steps of 1, 2 or 5 times a power of ten, about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max <= min) max = min + (min === 0 ? 1 : Math.abs(min));
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = Math.floor(min / step) * step; t <= max + step * 1e-9 || ticks.length < 2; t += step) ticks.push(Number(t.toPrecision(12)));
  if (ticks.at(-1)! < max) ticks.push(Number((ticks.at(-1)! + step).toPrecision(12)));
  return ticks;
}

/** Powers of ten covering [min, max] (both > 0), for a log axis. */
export function logTicks(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(Math.max(min, 1e-9)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(max, 1e-9))));
  return Array.from({ length: hi - lo + 1 }, (_, i) => Number((10 ** (lo + i)).toPrecision(12)));
}

export function formatTick(value: number): string {
  if (value === 0) return "0";
  if (Math.abs(value) >= 1000) return value.toLocaleString("en-GB", { maximumFractionDigits: 0 });
  return String(Number(value.toPrecision(3)));
}

function frame(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-family="sans-serif" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}

function legend(names: readonly string[], x: number, y: number, marker: "line" | "box"): string[] {
  return names.flatMap((name, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const top = y + i * 20;
    const swatch =
      marker === "line"
        ? `<line x1="${x}" y1="${top}" x2="${x + 18}" y2="${top}" stroke="${colour}" stroke-width="2"/>`
        : `<rect x="${x}" y="${top - 6}" width="14" height="12" fill="${colour}"/>`;
    return [swatch, `<text x="${x + 24}" y="${top + 4}" ${FONT}>${escapeXml(name)}</text>`];
  });
}

const round = (n: number) => Math.round(n * 10) / 10;

export function lineChart(options: LineChartOptions): string {
  const { width = 720, height = 400, logY = false } = options;
  const plot = { x: MARGIN.left, y: MARGIN.top, w: width - MARGIN.left - MARGIN.right, h: height - MARGIN.top - MARGIN.bottom };
  const points = options.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!logY || y > 0));
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  const xTicks = niceTicks(Math.min(0, ...xs), xs.length ? Math.max(...xs) : 1);
  const yTicks = logY ? logTicks(ys.length ? Math.min(...ys) : 1, ys.length ? Math.max(...ys) : 10) : niceTicks(0, ys.length ? Math.max(...ys) : 1);
  const [x0, x1] = [xTicks[0]!, xTicks.at(-1)!];
  const [y0, y1] = [yTicks[0]!, yTicks.at(-1)!];
  const sx = (x: number) => round(plot.x + ((x - x0) / (x1 - x0)) * plot.w);
  const sy = logY
    ? (y: number) => round(plot.y + plot.h - ((Math.log10(y) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0))) * plot.h)
    : (y: number) => round(plot.y + plot.h - ((y - y0) / (y1 - y0)) * plot.h);
  const body: string[] = [];
  for (const t of yTicks) {
    body.push(`<line x1="${plot.x}" y1="${sy(t)}" x2="${plot.x + plot.w}" y2="${sy(t)}" stroke="#e0e0e0"/>`);
    body.push(`<text x="${plot.x - 6}" y="${sy(t) + 4}" text-anchor="end" ${FONT}>${formatTick(t)}</text>`);
  }
  for (const t of xTicks) body.push(`<text x="${sx(t)}" y="${plot.y + plot.h + 18}" text-anchor="middle" ${FONT}>${formatTick(t)}</text>`);
  body.push(`<rect x="${plot.x}" y="${plot.y}" width="${plot.w}" height="${plot.h}" fill="none" stroke="#333333"/>`);
  options.series.forEach((series, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const usable = series.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!logY || y > 0));
    if (usable.length > 1) body.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${usable.map(([x, y]) => `${sx(x)},${sy(y)}`).join(" ")}"/>`);
    for (const [x, y] of usable) body.push(`<circle cx="${sx(x)}" cy="${sy(y)}" r="3.5" fill="${colour}"><title>${escapeXml(`${series.name}: ${formatTick(y)} at ${formatTick(x)}`)}</title></circle>`);
  });
  body.push(`<text x="${plot.x + plot.w / 2}" y="${height - 10}" text-anchor="middle" ${FONT}>${escapeXml(options.xLabel)}</text>`);
  body.push(`<text transform="translate(16 ${plot.y + plot.h / 2}) rotate(-90)" text-anchor="middle" ${FONT}>${escapeXml(options.yLabel)}${logY ? " (log scale)" : ""}</text>`);
  body.push(...legend(options.series.map((s) => s.name), plot.x + plot.w + 16, plot.y + 10, "line"));
  return frame(width, height, options.title, body);
}

export function barChart(options: BarChartOptions): string {
  const { width = 720, height = 400 } = options;
  const plot = { x: MARGIN.left, y: MARGIN.top, w: width - MARGIN.left - MARGIN.right, h: height - MARGIN.top - MARGIN.bottom };
  const names = [...new Set(options.groups.flatMap((g) => g.bars.map((b) => b.name)))];
  const values = options.groups.flatMap((g) => g.bars.map((b) => b.value)).filter(Number.isFinite);
  const yTicks = niceTicks(0, values.length ? Math.max(...values) : 1);
  const top = yTicks.at(-1)!;
  const sy = (y: number) => round(plot.y + plot.h - (Math.max(0, y) / top) * plot.h);
  const body: string[] = [];
  for (const t of yTicks) {
    body.push(`<line x1="${plot.x}" y1="${sy(t)}" x2="${plot.x + plot.w}" y2="${sy(t)}" stroke="#e0e0e0"/>`);
    body.push(`<text x="${plot.x - 6}" y="${sy(t) + 4}" text-anchor="end" ${FONT}>${formatTick(t)}</text>`);
  }
  const groupWidth = plot.w / Math.max(1, options.groups.length);
  const barWidth = (groupWidth * 0.8) / Math.max(1, names.length);
  options.groups.forEach((group, g) => {
    const left = plot.x + g * groupWidth + groupWidth * 0.1;
    for (const bar of group.bars) {
      if (!Number.isFinite(bar.value)) continue;
      const i = names.indexOf(bar.name);
      const x = round(left + i * barWidth);
      body.push(
        `<rect x="${x}" y="${sy(bar.value)}" width="${round(barWidth - 2)}" height="${round(plot.y + plot.h - sy(bar.value))}" fill="${COLOURS[i % COLOURS.length]}"><title>${escapeXml(`${group.label}, ${bar.name}: ${formatTick(bar.value)}`)}</title></rect>`,
      );
    }
    body.push(`<text x="${round(plot.x + g * groupWidth + groupWidth / 2)}" y="${plot.y + plot.h + 18}" text-anchor="middle" ${FONT}>${escapeXml(group.label)}</text>`);
  });
  body.push(`<rect x="${plot.x}" y="${plot.y}" width="${plot.w}" height="${plot.h}" fill="none" stroke="#333333"/>`);
  body.push(`<text transform="translate(16 ${plot.y + plot.h / 2}) rotate(-90)" text-anchor="middle" ${FONT}>${escapeXml(options.yLabel)}</text>`);
  body.push(...legend(names, plot.x + plot.w + 16, plot.y + 10, "box"));
  return frame(width, height, options.title, body);
}
