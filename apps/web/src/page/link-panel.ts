/**
 * The link panel's pure side: reading a link shaper's GET /status (validated like every frame: the page shows
 * numbers it checked, never raw text), wording the settings, and building the POST /settings body from the form.
 * The shaper checks the values itself and answers a bad one with a one-line problem+json `detail`, shown as is.
 */
export type Outage = "none" | "hold" | "cut";

export interface DirectionView {
  latencyMs: number;
  jitterMs: number;
  /** bit/s, 0 = unlimited. */
  bandwidthBps: number;
}

export interface LinkView {
  up: DirectionView;
  down: DirectionView;
  outage: Outage;
  /** Open connections through the shaper (the leaf link is one). */
  open: number;
}

const OUTAGES: readonly Outage[] = ["none", "hold", "cut"];
const MAX_MS = 3_600_000;

/** The shaper's status JSON → what the panel shows, or undefined for anything else. */
export function parseLinkStatus(value: unknown): LinkView | undefined {
  if (!isRecord(value) || !isRecord(value.settings)) return undefined;
  const { settings } = value;
  const up = direction(settings.up);
  const down = direction(settings.down);
  const outage = OUTAGES.find((o) => o === settings.outage);
  if (!up || !down || !outage) return undefined;
  const connections = isRecord(value.connections) ? value.connections.open : undefined;
  const open = typeof connections === "number" && Number.isSafeInteger(connections) && connections >= 0 ? connections : 0;
  return { up, down, outage, open };
}

function direction(value: unknown): DirectionView | undefined {
  if (!isRecord(value)) return undefined;
  const { latencyMs, jitterMs, bandwidthBps } = value;
  const ms = (n: unknown): n is number => typeof n === "number" && Number.isFinite(n) && n >= 0 && n <= MAX_MS;
  if (!ms(latencyMs) || !ms(jitterMs) || typeof bandwidthBps !== "number" || !Number.isSafeInteger(bandwidthBps) || bandwidthBps < 0) return undefined;
  return { latencyMs, jitterMs, bandwidthBps };
}

/** 256000 → "256 kbit/s", 1500000 → "1.5 Mbit/s", 0 → "unlimited". */
export function bandwidthText(bps: number): string {
  if (bps === 0) return "unlimited";
  for (const [unit, size] of [["Gbit/s", 1e9], ["Mbit/s", 1e6], ["kbit/s", 1e3]] as const) {
    if (bps >= size) return `${Number((bps / size).toFixed(2))} ${unit}`;
  }
  return `${bps} bit/s`;
}

/** "150 ms ± 30 ms, 256 kbit/s"; "no delay, unlimited" when unshaped. */
export function directionText(d: DirectionView): string {
  const delay = d.latencyMs === 0 && d.jitterMs === 0 ? "no delay" : `${Number(d.latencyMs.toFixed(1))} ms${d.jitterMs ? ` ± ${Number(d.jitterMs.toFixed(1))} ms` : ""}`;
  return `${delay}, ${bandwidthText(d.bandwidthBps)}`;
}

const OUTAGE_TEXT: Record<Outage, string> = { none: "link up", hold: "link held (stalled)", cut: "link cut" };

export function outageText(outage: Outage): string {
  return OUTAGE_TEXT[outage];
}

export interface SettingsForm {
  direction: string;
  latency: string;
  jitter: string;
  bandwidth: string;
}

/** The POST /settings body: only the fields filled in (the shaper says "nothing to set" when none is). */
export function settingsBody(form: SettingsForm): Record<string, string> {
  const body: Record<string, string> = { direction: form.direction || "both" };
  for (const key of ["latency", "jitter", "bandwidth"] as const) {
    const text = form[key].trim();
    if (text) body[key] = text;
  }
  return body;
}

/** The one line to show for a refused request: the shaper's problem `detail`, else the status. */
export function errorLine(status: number, body: unknown): string {
  const detail = isRecord(body) && typeof body.detail === "string" ? body.detail.replace(/\s+/g, " ").trim().slice(0, 300) : "";
  return detail || `the link shaper answered ${status}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
