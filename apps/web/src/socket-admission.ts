/**
 * Who may open /ws, and how many: a browser's `Origin` is checked at upgrade (so another site's page cannot
 * read the feed through its visitors' browsers), and open sockets are capped per client address and in all.
 */
import { CLOSE_TOO_MANY_SOCKETS, CLOSE_TRY_AGAIN } from "./protocol.ts";

/** `text` as browsers send an origin (scheme://host[:port], lowercase, default port left out), or undefined when it is not an http(s) origin. */
export function parseOrigin(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (url.pathname !== "/" || url.search || url.hash || url.username || url.password) return undefined;
  return url.origin;
}

/** The page's own origins when it is served on host:port: that name, and the loopback names a browser on this machine may use. */
export function pageOrigins(host: string, port: number): string[] {
  const names = [host, "127.0.0.1", "localhost"].map((name) => (name.includes(":") && !name.startsWith("[") ? `[${name}]` : name));
  const origins = names.map((name) => parseOrigin(`http://${name}:${port}`)).filter((origin) => origin !== undefined);
  return [...new Set(origins)];
}

/**
 * A handshake without `Origin` is let through: browsers always send one on a WebSocket handshake
 * (RFC 6455 §4.1), so its absence means a tool such as curl or a script, which could send any origin it liked.
 */
export function isOriginAllowed(origin: string | null, allowed: ReadonlySet<string>): boolean {
  if (origin === null) return true;
  const parsed = parseOrigin(origin);
  return parsed !== undefined && allowed.has(parsed);
}

/**
 * Where the page may open its feed, for CSP's connect-src: the WebSocket twin of each allowed origin. CSP has no
 * syntax for IPv6 literals (a browser drops such a source with a warning), so those are left to 'self'.
 */
export const socketOrigins = (origins: readonly string[]): string[] =>
  origins.filter((origin) => !new URL(origin).hostname.startsWith("[")).map((origin) => origin.replace(/^http/, "ws"));

export type Admission = { ok: true } | { ok: false; code: number; reason: string };

/** Counts open sockets per client address and in all; `admit` takes a place when there is one, `release` gives it back. */
export class SocketLimits {
  private readonly perClient = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: { maxPerClient: number; maxTotal: number }) {}

  admit(client: string): Admission {
    if (this.total >= this.limits.maxTotal) {
      return { ok: false, code: CLOSE_TRY_AGAIN, reason: `server at its limit of ${this.limits.maxTotal} sockets; try again later` };
    }
    const open = this.perClient.get(client) ?? 0;
    if (open >= this.limits.maxPerClient) {
      return { ok: false, code: CLOSE_TOO_MANY_SOCKETS, reason: `too many sockets from one address (limit ${this.limits.maxPerClient})` };
    }
    this.perClient.set(client, open + 1);
    this.total++;
    return { ok: true };
  }

  release(client: string): void {
    const open = this.perClient.get(client);
    if (open === undefined) return;
    if (open <= 1) this.perClient.delete(client);
    else this.perClient.set(client, open - 1);
    this.total--;
  }

  get open(): number {
    return this.total;
  }
}
