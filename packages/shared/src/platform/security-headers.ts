/**
 * The security headers on every HTTP response Forecourt sends, built in one place: a Content-Security-Policy
 * that starts from "nothing may load" and adds only what a page uses, no MIME sniffing, no Referer sent
 * anywhere, and no framing (CSP `frame-ancestors` for current browsers, `X-Frame-Options` for older ones).
 */
import { Elysia } from "elysia";

/** CSP directives by name, each a list of sources (CSP Level 3), e.g. `{ "script-src": ["'self'"] }`. */
export type CspDirectives = Readonly<Record<string, readonly string[]>>;

/** The floor of every policy: nothing loads, no `<base>` rewrites, no form posts. */
const LOCKED_DOWN: CspDirectives = {
  "default-src": ["'none'"],
  "base-uri": ["'none'"],
  "form-action": ["'none'"],
};

// A source holding a space, ";" or "," would end its directive early and smuggle in another.
const SOURCE = /^[^\s;,]+$/;
const DIRECTIVE = /^[a-z][a-z-]*$/;

/** The policy text: the locked-down floor, then `allow` on top; `frame-ancestors 'none'` always, so no page can be framed. */
export function contentSecurityPolicy(allow: CspDirectives = {}): string {
  const directives: CspDirectives = { ...LOCKED_DOWN, ...allow, "frame-ancestors": ["'none'"] };
  return Object.entries(directives)
    .map(([name, sources]) => {
      if (!DIRECTIVE.test(name)) throw new TypeError(`CSP directive names are lowercase words, got "${name}"`);
      if (sources.length === 0) throw new TypeError(`CSP directive ${name} needs at least one source ('none' for nothing)`);
      const bad = sources.find((source) => !SOURCE.test(source));
      if (bad !== undefined) throw new TypeError(`CSP source for ${name} may not hold spaces, ";" or ",", got "${bad}"`);
      return `${name} ${sources.join(" ")}`;
    })
    .join("; ");
}

/** Every header a response carries, for a page allowed `allow` (nothing at all when omitted: JSON, files). */
export function securityHeaders(allow: CspDirectives = {}): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(allow),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
  };
}

/**
 * Sets `headersFor(path)` on every response of the app it is used in, before any other hook runs, so errors,
 * 404s, health answers and WebSocket refusals carry them as well as pages. Use it first.
 */
export function securityHeadersPlugin(headersFor: (path: string) => Record<string, string>) {
  return new Elysia().onRequest(({ request, set }) => {
    Object.assign(set.headers, headersFor(new URL(request.url).pathname));
  });
}
