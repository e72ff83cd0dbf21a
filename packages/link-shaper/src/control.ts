/**
 * The shaper's HTTP control API (JSON): GET /status, POST /settings, POST /cut, /hold, /restore. What `bun run link`
 * and the live page's panel call. Browsers may call it from loopback origins (and any listed in `corsOrigins`);
 * every POST must say `content-type: application/json`, which makes a browser ask first (CORS preflight), so a page
 * from anywhere else cannot cut your link with a plain form post.
 */
import { problem, problemResponse } from "@forecourt/shared/platform";
import { formatAddress, type Address } from "./address.ts";
import { parseSettingsBody, SettingsError, type Outage } from "./settings.ts";
import type { LinkShaper } from "./shaper.ts";

export interface ControlOptions {
  corsOrigins?: string[];
}

export interface ControlServer {
  readonly address: Address;
  stop(): Promise<void>;
}

const OUTAGE_ROUTES: Record<string, Outage> = { "/cut": "cut", "/hold": "hold", "/restore": "none" };
const ROUTES = ["/status", "/settings", ...Object.keys(OUTAGE_ROUTES)];
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Loopback pages (any port), plus the origins the owner listed. */
export function isAllowedOrigin(origin: string, extra: readonly string[] = []): boolean {
  if (extra.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return (url.protocol === "http:" || url.protocol === "https:") && (LOOPBACK_HOSTS.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname));
  } catch {
    return false;
  }
}

type ControlTarget = Pick<LinkShaper, "set" | "status">;

export function createControlHandler(shaper: ControlTarget, options: ControlOptions = {}): (request: Request) => Promise<Response> {
  return async (request) => {
    const origin = request.headers.get("origin");
    const cors: Record<string, string> =
      origin && isAllowedOrigin(origin, options.corsOrigins)
        ? {
            "access-control-allow-origin": origin,
            "access-control-allow-methods": "GET, POST, OPTIONS",
            "access-control-allow-headers": "content-type",
            "access-control-max-age": "600",
            vary: "origin",
          }
        : { vary: "origin" };
    const json = (body: unknown, status = 200) => Response.json(body, { status, headers: cors });
    const fail = (status: number, detail: string, extra: Record<string, string> = {}) => problemResponse(problem(status, detail), { ...cors, ...extra });

    const path = new URL(request.url).pathname;
    if (!ROUTES.includes(path)) return fail(404, `no such resource: ${path} (try GET /status)`);
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: cors });
    if (path === "/status") {
      if (request.method !== "GET") return fail(405, `${path} takes GET`, { allow: "GET" });
      return json(shaper.status());
    }
    if (request.method !== "POST") return fail(405, `${path} takes POST`, { allow: "POST" });
    if (!/^application\/json\b/i.test(request.headers.get("content-type") ?? "")) {
      return fail(415, `${path} needs content-type: application/json`);
    }
    try {
      if (path === "/settings") {
        let body: unknown;
        try {
          body = await request.json();
        } catch {
          return fail(400, "the body is not JSON");
        }
        shaper.set(parseSettingsBody(body));
      } else {
        shaper.set({ outage: OUTAGE_ROUTES[path]! });
      }
    } catch (error) {
      if (error instanceof SettingsError) return fail(400, error.message);
      throw error;
    }
    return json(shaper.status());
  };
}

export async function startControlServer(shaper: ControlTarget, at: Address, options: ControlOptions = {}): Promise<ControlServer> {
  const handle = createControlHandler(shaper, options);
  let server: ReturnType<typeof Bun.serve>;
  try {
    server = Bun.serve({
      hostname: at.host,
      port: at.port,
      fetch: handle,
      error: () => problemResponse(problem(500, "the control API failed; see the shaper's log")),
    });
  } catch (error) {
    throw new Error(`cannot listen for control on ${formatAddress(at)}: ${(error as Error).message}`, { cause: error });
  }
  return {
    address: { host: at.host, port: server.port ?? at.port },
    async stop() {
      await server.stop(true);
    },
  };
}
