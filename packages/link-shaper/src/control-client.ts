/** Calls a running shaper's control API: what `bun run link set|cut|hold|restore|status` does. */
import { formatAddress, type Address } from "./address.ts";
import type { Outage } from "./settings.ts";
import type { LinkStatus } from "./shaper.ts";

export class ControlError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ControlError";
  }
}

/** The body of POST /settings: typed forms ("150ms", "256kbit") or numbers (ms, bit/s). */
export interface SettingsBody {
  direction?: "up" | "down" | "both";
  latency?: string | number;
  jitter?: string | number;
  bandwidth?: string | number;
}

const OUTAGE_PATHS: Record<Outage, string> = { cut: "/cut", hold: "/hold", none: "/restore" };

async function call(control: Address, method: "GET" | "POST", path: string, body?: unknown): Promise<LinkStatus> {
  const url = `http://${formatAddress(control)}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: method === "POST" ? { "content-type": "application/json" } : {},
      body: method === "POST" ? JSON.stringify(body ?? {}) : undefined,
      signal: AbortSignal.timeout(5_000),
    });
  } catch (error) {
    const reason = (error as { code?: string }).code ?? (error as Error).message;
    throw new ControlError(`cannot reach a link shaper's control API at ${formatAddress(control)} (${reason}); start one with \`bun run link proxy\`, or say where with --control or LINK_CONTROL`, { cause: error });
  }
  const text = await response.text();
  if (!response.ok) {
    let detail = text;
    try {
      detail = (JSON.parse(text) as { detail?: string }).detail ?? text;
    } catch {
      // not problem+json: report the body as it came
    }
    throw new ControlError(`${method} ${path} answered ${response.status}: ${detail}`);
  }
  return JSON.parse(text) as LinkStatus;
}

export function fetchStatus(control: Address): Promise<LinkStatus> {
  return call(control, "GET", "/status");
}

export function sendSettings(control: Address, body: SettingsBody): Promise<LinkStatus> {
  return call(control, "POST", "/settings", body);
}

export function sendOutage(control: Address, outage: Outage): Promise<LinkStatus> {
  return call(control, "POST", OUTAGE_PATHS[outage]);
}
