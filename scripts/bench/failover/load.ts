/**
 * A steady stream of car listings: POST /api/vehicles at a fixed rate, spread round-robin over every API
 * instance, each car a new registration, every answer recorded with the phase it started in. Open loop (the
 * rate does not drop while answers are slow), capped at `maxInFlight` so a stalled cluster cannot pile up
 * sockets without end. A POST that is not answered within `timeoutMs` is recorded with status 0.
 */

export interface PostResult {
  registration: string;
  /** Which API instance (index into apiUrls). */
  api: number;
  phase: string;
  /** Milliseconds since the load started. */
  startedAt: number;
  durationMs: number;
  /** HTTP status; 0 when no answer came (refused, reset, timed out). */
  status: number;
  /** For a failure: the problem's detail, or the client error's message. */
  detail?: string;
  retryAfter?: string;
}

export interface LoadOptions {
  apiUrls: string[];
  /** POSTs per second. */
  rate: number;
  /** Registrations are `<prefix><n>`: letters, so runs against one store never collide. */
  prefix: string;
  maxInFlight?: number;
  timeoutMs?: number;
  /** Sent with every POST: the dealer's `authorization`. */
  headers?: Record<string, string>;
}

export interface Load {
  results: PostResult[];
  /** `performance.now()` when the load started: `startedAt` counts from here. */
  origin: number;
  /** The phase new POSTs are recorded under. */
  phase: string;
  inFlight(): number;
  /** Stops issuing and waits for every POST in flight to be answered. */
  stop(): Promise<PostResult[]>;
}

const COLOURS = ["Red", "Blue", "Silver", "Black", "White", "Green"];

/** The body of car n: a catalog model, so every car can be priced. */
export function carBody(registration: string, n: number) {
  return { registration, modelCode: "ford-fiesta", color: COLOURS[n % COLOURS.length]!, year: 2005 + (n % 20) };
}

export function startLoad({ apiUrls, rate, prefix, maxInFlight = 2_000, timeoutMs = 10_000, headers = {} }: LoadOptions): Load {
  if (!/^[A-Z]{1,3}$/.test(prefix)) throw new Error(`the load's prefix must be 1-3 capital letters, got "${prefix}"`);
  const started = performance.now();
  const results: PostResult[] = [];
  const pending = new Set<Promise<void>>();
  let issued = 0;
  let stopped = false;
  const load: Load = {
    results,
    origin: started,
    phase: "start",
    inFlight: () => pending.size,
    async stop() {
      stopped = true;
      await loop;
      await Promise.all(pending);
      return results;
    },
  };

  const post = async (n: number) => {
    const registration = `${prefix}${n}`;
    const api = n % apiUrls.length;
    const phase = load.phase;
    const startedAt = performance.now();
    const result: PostResult = { registration, api, phase, startedAt: startedAt - started, durationMs: 0, status: 0 };
    try {
      const response = await fetch(`${apiUrls[api]}/api/vehicles`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(carBody(registration, n)),
        signal: AbortSignal.timeout(timeoutMs),
      });
      result.status = response.status;
      const body = await response.text();
      if (!response.ok) {
        result.detail = detailOf(body);
        result.retryAfter = response.headers.get("retry-after") ?? undefined;
      }
    } catch (error) {
      result.detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    result.durationMs = performance.now() - startedAt;
    results.push(result);
  };

  const loop = (async () => {
    while (!stopped) {
      const due = Math.floor(((performance.now() - started) / 1000) * rate);
      while (issued < due && pending.size < maxInFlight) {
        const p = post(issued++).finally(() => pending.delete(p));
        pending.add(p);
      }
      await Bun.sleep(5);
    }
  })();
  return load;
}

function detailOf(body: string): string {
  try {
    const problem = JSON.parse(body) as { detail?: unknown };
    if (typeof problem.detail === "string") return problem.detail;
  } catch {
    // not JSON: keep the text
  }
  return body.slice(0, 200);
}
