/**
 * A strict reader of Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format), so tests can check that
 * what an app serves at /metrics is what Prometheus accepts, and read values out of it. Throws on the first
 * line that breaks the format, naming it.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  /** Family name → counter, gauge, histogram, summary or untyped. */
  types: Map<string, string>;
  help: Map<string, string>;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);
const SUFFIXES: Record<string, string[]> = { histogram: ["_bucket", "_sum", "_count"], summary: ["", "_sum", "_count"] };

export class ExpositionError extends Error {
  constructor(lineNo: number, line: string, reason: string) {
    super(`line ${lineNo}: ${reason}: ${line}`);
    this.name = "ExpositionError";
  }
}

/** As Prometheus reads values (Go's ParseFloat): special values in any case, so prom-client's "Nan" is a NaN. */
function parseValue(raw: string): number {
  const special = /^([-+]?)(inf|infinity|nan)$/i.exec(raw);
  if (special) return special[2]!.toLowerCase() === "nan" ? NaN : special[1] === "-" ? -Infinity : Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw)) throw new Error(`"${raw}" is not a number`);
  return Number(raw);
}

/** Reads `{a="1",b="x\"y"}` from the start of `rest`; returns the labels and what follows. */
function parseLabels(rest: string): { labels: Record<string, string>; after: string } {
  const labels: Record<string, string> = {};
  let i = 1;
  for (;;) {
    while (rest[i] === " ") i++;
    if (rest[i] === "}") return { labels, after: rest.slice(i + 1) };
    const eq = rest.indexOf("=", i);
    if (eq < 0) throw new Error("label without =");
    const name = rest.slice(i, eq).trim();
    if (!LABEL_NAME.test(name)) throw new Error(`bad label name "${name}"`);
    if (name in labels) throw new Error(`label "${name}" repeated`);
    if (rest[eq + 1] !== '"') throw new Error(`label "${name}" value is not quoted`);
    let value = "";
    let j = eq + 2;
    for (; j < rest.length && rest[j] !== '"'; j++) {
      if (rest[j] !== "\\") {
        value += rest[j];
        continue;
      }
      const escaped = rest[++j];
      if (escaped === "n") value += "\n";
      else if (escaped === "\\" || escaped === '"') value += escaped;
      else throw new Error(`bad escape \\${escaped} in label "${name}"`);
    }
    if (j >= rest.length) throw new Error(`label "${name}" value is not closed`);
    labels[name] = value;
    i = j + 1;
    if (rest[i] === ",") i++;
    else if (rest[i] !== "}") throw new Error(`expected , or } after label "${name}"`);
  }
}

/** The family a sample belongs to: `x_bucket` of histogram `x` belongs to `x`. */
function familyOf(name: string, types: Map<string, string>): string {
  for (const [family, type] of types) {
    for (const suffix of SUFFIXES[type] ?? [""]) if (name === family + suffix) return family;
  }
  return name;
}

export function parsePrometheusText(text: string): Exposition {
  const exposition: Exposition = { types: new Map(), help: new Map(), samples: [] };
  const seenSamples = new Set<string>();
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    const fail = (reason: string): never => {
      throw new ExpositionError(lineNo, line, reason);
    };
    if (line.trim() === "") return;
    if (line.startsWith("#")) {
      const [, keyword, name, ...rest] = line.split(" ");
      if (keyword === "HELP" || keyword === "TYPE") {
        if (!name || !METRIC_NAME.test(name)) fail("bad metric name");
        if (keyword === "HELP") exposition.help.set(name!, rest.join(" "));
        else {
          const type = rest.join(" ");
          if (!TYPES.has(type)) fail(`unknown type "${type}"`);
          if (exposition.types.has(name!)) fail("second TYPE line for one family");
          if (seenSamples.has(name!)) fail("TYPE after the family's samples");
          exposition.types.set(name!, type);
        }
      }
      return;
    }
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(.*)$/.exec(line);
    if (!match) fail("not a sample");
    const name = match![1]!;
    let rest = match![2]!;
    let labels: Record<string, string> = {};
    try {
      if (rest.startsWith("{")) ({ labels, after: rest } = parseLabels(rest));
      const parts = rest.trim().split(/\s+/);
      if (parts.length < 1 || parts.length > 2 || parts[0] === "") fail("expected a value and at most a timestamp");
      if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) fail("bad timestamp");
      const family = familyOf(name, exposition.types);
      seenSamples.add(family);
      if (exposition.types.get(family) === "histogram" && name.endsWith("_bucket") && labels.le === undefined) fail("histogram bucket without le");
      exposition.samples.push({ name, labels, value: parseValue(parts[0]!) });
    } catch (error) {
      if (error instanceof ExpositionError) throw error;
      fail((error as Error).message);
    }
  });
  checkHistograms(exposition);
  return exposition;
}

/** Buckets of one series never decrease, end at +Inf, and the +Inf bucket equals the count. */
function checkHistograms({ types, samples }: Exposition): void {
  for (const [family, type] of types) {
    if (type !== "histogram") continue;
    const series = new Map<string, { le: number; value: number }[]>();
    const counts = new Map<string, number>();
    for (const s of samples) {
      const { le, ...rest } = s.labels;
      const key = JSON.stringify(Object.entries(rest).sort());
      if (s.name === `${family}_bucket`) (series.get(key) ?? series.set(key, []).get(key)!).push({ le: parseValue(le!), value: s.value });
      if (s.name === `${family}_count`) counts.set(key, s.value);
    }
    for (const [key, buckets] of series) {
      buckets.sort((a, b) => a.le - b.le);
      if (buckets.at(-1)?.le !== Infinity) throw new Error(`${family}${key}: no +Inf bucket`);
      for (let i = 1; i < buckets.length; i++) if (buckets[i]!.value < buckets[i - 1]!.value) throw new Error(`${family}${key}: buckets decrease`);
      if (counts.get(key) !== buckets.at(-1)!.value) throw new Error(`${family}${key}: +Inf bucket differs from _count`);
    }
  }
}

/** The sum of every sample named `name` whose labels include `labels` (0 when none matches). */
export function sampleSum(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  return exposition.samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** GETs a /metrics URL and parses it; throws on a non-200 answer or a malformed exposition. */
export async function scrape(url: string): Promise<Exposition> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return parsePrometheusText(await response.text());
}
