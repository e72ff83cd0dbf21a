/**
 * What a shaped link does, per direction (up = client → target, down = target → client), and the forms people
 * type for it: durations like `150ms` or `1.5s`, rates like `256kbit`, `1mbit` or `1000000` (bit/s).
 * Pure: every bad value is a SettingsError with one line naming the value and the form it should take.
 */
export type Direction = "up" | "down";
export type DirectionChoice = Direction | "both";
export const DIRECTIONS: readonly Direction[] = ["up", "down"];

/** `hold` stalls the link (nothing forwarded, everything kept); `cut` closes its connections and refuses new ones. */
export type Outage = "none" | "hold" | "cut";
export const OUTAGES: readonly Outage[] = ["none", "hold", "cut"];

export interface DirectionSettings {
  /** One-way delay added to every byte. */
  latencyMs: number;
  /** Each chunk's delay is latency ± up to this (uniform), but never released before the chunk ahead of it. */
  jitterMs: number;
  /** Cap in bit/s; 0 means unlimited. */
  bandwidthBps: number;
}

export interface LinkSettings {
  up: DirectionSettings;
  down: DirectionSettings;
  outage: Outage;
}

export interface SettingsChange {
  up?: Partial<DirectionSettings>;
  down?: Partial<DirectionSettings>;
  outage?: Outage;
}

export const UNSHAPED: LinkSettings = {
  up: { latencyMs: 0, jitterMs: 0, bandwidthBps: 0 },
  down: { latencyMs: 0, jitterMs: 0, bandwidthBps: 0 },
  outage: "none",
};

export const MAX_DELAY_MS = 60_000;
export const MIN_BANDWIDTH_BPS = 1_000;
export const MAX_BANDWIDTH_BPS = 100_000_000_000;

export const DURATION_FORM = "a duration in ms or s such as 150ms, 1.5s or 0, at most 60s";
export const BANDWIDTH_FORM = "a rate such as 64kbit, 256kbit, 1mbit or 1000000 (bit/s), at least 1kbit, or 0/off for unlimited";
export const DIRECTION_FORM = "up, down or both";

export class SettingsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SettingsError";
  }
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000 };
const RATE_UNITS: Record<string, number> = { bit: 1, kbit: 1e3, mbit: 1e6, gbit: 1e9 };

/** `150ms`, `1.5s`, `0` → milliseconds. `what` names the setting in the error ("latency", "--jitter"). */
export function parseDuration(text: string, what = "duration"): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/i.exec(text.trim());
  const value = match ? Number(match[1]) : NaN;
  const unit = match?.[2]?.toLowerCase();
  if (!match || (unit === undefined && value !== 0)) throw new SettingsError(`${what} "${text}" is not ${DURATION_FORM}`);
  const ms = value * DURATION_UNITS[unit ?? "ms"]!;
  if (ms > MAX_DELAY_MS) throw new SettingsError(`${what} "${text}" is too long: use ${DURATION_FORM}`);
  return ms;
}

/** `256kbit`, `1mbit`, `1000000`, `0`/`off` → bit/s (0 = unlimited). Units are decimal, as in tc: 1kbit = 1000 bit/s. */
export function parseBandwidth(text: string, what = "bandwidth"): number {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "off" || trimmed === "0") return 0;
  const match = /^(\d+(?:\.\d+)?)(bit|kbit|mbit|gbit)?(?:\/s)?$/.exec(trimmed);
  if (!match) throw new SettingsError(`${what} "${text}" is not ${BANDWIDTH_FORM}`);
  const bps = Math.round(Number(match[1]) * RATE_UNITS[match[2] ?? "bit"]!);
  if (bps === 0) return 0;
  if (bps < MIN_BANDWIDTH_BPS || bps > MAX_BANDWIDTH_BPS) throw new SettingsError(`${what} "${text}" is out of range: use ${BANDWIDTH_FORM}`);
  return bps;
}

export function parseDirection(text: string, what = "direction"): DirectionChoice {
  if (text === "up" || text === "down" || text === "both") return text;
  throw new SettingsError(`${what} "${text}" is not ${DIRECTION_FORM}`);
}

/** The directions a choice covers. */
export function directionsOf(choice: DirectionChoice): Direction[] {
  return choice === "both" ? ["up", "down"] : [choice];
}

/** The same values for one or both directions. */
export function changeFor(choice: DirectionChoice, values: Partial<DirectionSettings>): SettingsChange {
  const change: SettingsChange = {};
  for (const direction of directionsOf(choice)) change[direction] = { ...values };
  return change;
}

/** Checks values that arrive as numbers (from code or JSON), with the same bounds as the parsers. */
export function checkChange(change: SettingsChange): void {
  if (change.outage !== undefined && !OUTAGES.includes(change.outage)) {
    throw new SettingsError(`outage "${String(change.outage)}" is not one of ${OUTAGES.join(", ")}`);
  }
  for (const direction of DIRECTIONS) {
    const values = change[direction];
    if (!values) continue;
    for (const key of ["latencyMs", "jitterMs"] as const) {
      const ms = values[key];
      if (ms !== undefined && !(Number.isFinite(ms) && ms >= 0 && ms <= MAX_DELAY_MS)) {
        throw new SettingsError(`${direction} ${key} ${String(ms)} is not a number of milliseconds from 0 to ${MAX_DELAY_MS}`);
      }
    }
    const bps = values.bandwidthBps;
    if (bps !== undefined && !(Number.isInteger(bps) && (bps === 0 || (bps >= MIN_BANDWIDTH_BPS && bps <= MAX_BANDWIDTH_BPS)))) {
      throw new SettingsError(`${direction} bandwidthBps ${String(bps)} is not a whole number of bit/s from ${MIN_BANDWIDTH_BPS} to ${MAX_BANDWIDTH_BPS}, or 0 for unlimited`);
    }
  }
}

export function applyChange(settings: LinkSettings, change: SettingsChange): LinkSettings {
  return {
    up: { ...settings.up, ...definedOnly(change.up) },
    down: { ...settings.down, ...definedOnly(change.down) },
    outage: change.outage ?? settings.outage,
  };
}

function definedOnly(values: Partial<DirectionSettings> = {}): Partial<DirectionSettings> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

/**
 * The body of `POST /settings`: `{ "direction": "up"|"down"|"both" (default both), "latency", "jitter", "bandwidth" }`,
 * each value either the typed form (`"150ms"`, `"256kbit"`, `"off"`) or a number (milliseconds, bit/s).
 */
export function parseSettingsBody(body: unknown): SettingsChange {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new SettingsError('the body must be a JSON object such as {"direction":"both","latency":"150ms","jitter":"30ms","bandwidth":"256kbit"}');
  }
  const fields = body as Record<string, unknown>;
  const known = new Set(["direction", "latency", "jitter", "bandwidth"]);
  const unknown = Object.keys(fields).find((key) => !known.has(key));
  if (unknown !== undefined) throw new SettingsError(`unknown field "${unknown}": use direction, latency, jitter, bandwidth`);
  const direction = fields.direction === undefined ? "both" : parseDirection(String(fields.direction));
  const values: Partial<DirectionSettings> = {};
  if (fields.latency !== undefined) values.latencyMs = durationField(fields.latency, "latency");
  if (fields.jitter !== undefined) values.jitterMs = durationField(fields.jitter, "jitter");
  if (fields.bandwidth !== undefined) values.bandwidthBps = bandwidthField(fields.bandwidth);
  if (Object.keys(values).length === 0) throw new SettingsError("nothing to set: give latency, jitter or bandwidth");
  const change = changeFor(direction, values);
  checkChange(change);
  return change;
}

function durationField(value: unknown, what: string): number {
  if (typeof value === "number") {
    if (Number.isFinite(value) && value >= 0 && value <= MAX_DELAY_MS) return value;
    throw new SettingsError(`${what} ${value} is not ${DURATION_FORM} (a number means milliseconds)`);
  }
  if (typeof value === "string") return parseDuration(value, what);
  throw new SettingsError(`${what} ${JSON.stringify(value)} is not ${DURATION_FORM}`);
}

function bandwidthField(value: unknown): number {
  if (typeof value === "number") return parseBandwidth(String(value));
  if (typeof value === "string") return parseBandwidth(value);
  throw new SettingsError(`bandwidth ${JSON.stringify(value)} is not ${BANDWIDTH_FORM}`);
}

export function formatDuration(ms: number): string {
  return `${Number(ms.toFixed(3))}ms`;
}

/** The largest unit that keeps the figure at 1 or more: 256000 → `256kbit`, 1500000 → `1.5mbit`, 0 → `off`. */
export function formatBandwidth(bps: number): string {
  if (bps === 0) return "off";
  for (const [unit, size] of [["gbit", 1e9], ["mbit", 1e6], ["kbit", 1e3]] as const) {
    if (bps >= size) return `${bps / size}${unit}`;
  }
  return `${bps}bit`;
}
