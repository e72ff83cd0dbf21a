/**
 * Writes (POST, PUT, PATCH, DELETE) need `Authorization: Bearer <dealer key>` (RFC 6750); reads stay public.
 * The dealer is found before anything else of the request is looked at, then charged one write against its rate.
 * Routes read who is writing with requestDealer(request).
 */
import { Elysia } from "elysia";
import type { DealerStore } from "./dealer-store.ts";
import { RateLimitedError, UnauthorizedError } from "./errors.ts";
import type { WriteRateLimiter } from "./write-rate-limit.ts";

export const WRITE_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const REALM = 'Bearer realm="forecourt"';

export interface DealerAuthDeps {
  dealers: Pick<DealerStore, "authenticate">;
  limiter: Pick<WriteRateLimiter, "take">;
}

const dealers = new WeakMap<Request, string>();

/** The dealer a write request was authenticated as. */
export function requestDealer(request: Request): string {
  const dealer = dealers.get(request);
  if (!dealer) throw new UnauthorizedError("this request carries no dealer's key", false);
  return dealer;
}

/** The key in `Authorization: Bearer <key>` (scheme in any case), or undefined when there is none. */
export function bearerToken(header: string | null): string | undefined {
  const match = header ? /^Bearer +(\S+) *$/i.exec(header) : null;
  return match?.[1];
}

async function authenticate(request: Request, deps: DealerAuthDeps): Promise<string> {
  const header = request.headers.get("authorization");
  if (!header) throw new UnauthorizedError("writes need a dealer's key: Authorization: Bearer <key> (bun run dealers add <name> issues one)", false);
  const key = bearerToken(header);
  const dealer = key && (await deps.dealers.authenticate(key));
  if (!dealer) throw new UnauthorizedError("the Authorization header holds no valid dealer key (it is malformed, unknown or revoked)", true);
  return dealer;
}

/**
 * `guard` refuses at once (503) while the API knows NATS is down: the dealer's record is read from NATS, and a
 * lookup would otherwise wait for its request timeout.
 */
export function dealerAuth(deps: DealerAuthDeps, guard?: () => void) {
  return new Elysia({ name: "dealer-auth" }).onRequest(async ({ request }) => {
    if (!WRITE_METHODS.has(request.method)) return;
    guard?.();
    const dealer = await authenticate(request, deps);
    const retryAfterSeconds = deps.limiter.take(dealer);
    if (retryAfterSeconds > 0) throw new RateLimitedError(dealer, retryAfterSeconds);
    dealers.set(request, dealer);
  });
}

/** Headers a refused write answers with: the challenge on 401 (RFC 6750 §3), the wait on 429 (RFC 9110 §10.2.3). */
export function authProblemHeaders(error: unknown): Record<string, string> {
  if (error instanceof UnauthorizedError) return { "WWW-Authenticate": error.presented ? `${REALM}, error="invalid_token"` : REALM };
  if (error instanceof RateLimitedError) return { "Retry-After": String(error.retryAfterSeconds) };
  return {};
}
