/**
 * Readiness that means it: whether NATS answers and every stream, bucket and durable consumer this app needs is
 * there, probed with cheap info calls, cached for a moment (health probes and request guards share one answer)
 * and re-probed in the background. A dependency that goes missing is logged once with the reason; one the app
 * can put back (a durable consumer, a stream it owns) is repaired; its return is logged with how long it was gone.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "./log.ts";
import { isNatsReachable } from "./nats.ts";

export interface Dependency {
  /** Shown in /health/ready and logs: "stream VEHICLES", "bucket vehicles", "consumer pricer". */
  name: string;
  /** Resolves undefined when usable, else one line saying what is wrong. Throwing counts as "could not check". */
  probe(): Promise<string | undefined>;
  /** Puts the dependency back when the app owns it; called after a probe found it missing, then probed again. */
  repair?(): Promise<void>;
}

export interface ReadinessReport {
  ready: boolean;
  /** Per dependency: "ok" or the reason it is not. */
  checks: Record<string, string>;
  checkedAt: number;
}

export interface Readiness {
  /** The report, probing again when the last one is older than `maxAgeMs` (concurrent callers share one probe). */
  check(): Promise<ReadinessReport>;
  /**
   * Why work needing these dependencies (all when none named) cannot be done now, from what is already known
   * (the connection's state, the last report): no I/O, so a request guard can refuse at once.
   */
  blocked(names?: readonly string[]): string | undefined;
  /** NATS connection state from the client's status events (disconnect/reconnect). */
  readonly connected: boolean;
  /** What workers without HTTP show in their status endpoint: the last report, no I/O. */
  summary(): { ready: boolean; dependencies: Record<string, string> };
  stop(): void;
}

export interface ReadinessOptions {
  nc: NatsConnection;
  log: Logger;
  dependencies: Dependency[];
  maxAgeMs?: number;
  /** Background probing (logs and repairs even when nobody asks); 0 turns it off. */
  intervalMs?: number;
  /** One probe's limit; a slower answer counts as failing. */
  probeTimeoutMs?: number;
}

export const NATS_DEPENDENCY = "nats";
const NOT_CHECKED = "not checked: NATS is unreachable";

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms))),
  ]);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createReadiness(options: ReadinessOptions): Readiness {
  const { nc, log, dependencies } = options;
  const maxAgeMs = options.maxAgeMs ?? 1_500;
  const probeTimeoutMs = options.probeTimeoutMs ?? 2_000;
  let connected = !nc.isClosed();
  let last: ReadinessReport | undefined;
  let running: Promise<ReadinessReport> | undefined;
  /** When each failing dependency was first seen failing, for the "restored" log line. */
  const failingSince = new Map<string, number>();

  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === "disconnect" || status.type === "close") connected = false;
      else if (status.type === "reconnect") connected = true;
    }
  })();

  const note = (name: string, reason: string | undefined) => {
    const since = failingSince.get(name);
    if (reason === undefined) {
      if (since === undefined) return;
      failingSince.delete(name);
      log.info("dependency restored", { dependency: name, downMs: Date.now() - since });
    } else if (since === undefined) {
      failingSince.set(name, Date.now());
      log.warn("dependency unavailable", { dependency: name, reason });
    }
  };

  const probe = async (dependency: Dependency): Promise<string | undefined> => {
    let reason: string | undefined;
    try {
      reason = await withTimeout(dependency.probe(), probeTimeoutMs, dependency.name);
    } catch (error) {
      return `could not check: ${describe(error)}`;
    }
    if (reason === undefined || !dependency.repair) return reason;
    try {
      await withTimeout(dependency.repair(), probeTimeoutMs, `repairing ${dependency.name}`);
      log.info("dependency repaired", { dependency: dependency.name, reason });
      return await withTimeout(dependency.probe(), probeTimeoutMs, dependency.name);
    } catch (error) {
      return `${reason}; repair failed: ${describe(error)}`;
    }
  };

  const run = async (): Promise<ReadinessReport> => {
    const checks: Record<string, string> = {};
    const natsOk = connected && (await isNatsReachable(nc, probeTimeoutMs));
    checks[NATS_DEPENDENCY] = natsOk ? "ok" : "NATS does not answer (disconnected or not responding)";
    note(NATS_DEPENDENCY, natsOk ? undefined : checks[NATS_DEPENDENCY]);
    // In order: a stream is repaired before the consumers that live in it.
    for (const dependency of dependencies) {
      if (!natsOk) {
        checks[dependency.name] = NOT_CHECKED;
        continue;
      }
      const reason = await probe(dependency);
      checks[dependency.name] = reason ?? "ok";
      note(dependency.name, reason);
    }
    const report = { ready: Object.values(checks).every((c) => c === "ok"), checks, checkedAt: Date.now() };
    last = report;
    return report;
  };

  const check = (): Promise<ReadinessReport> => {
    // A cached answer stands unless the connection changed since (disconnect and reconnect are known at once).
    const stale = !last || Date.now() - last.checkedAt >= maxAgeMs || (last.checks[NATS_DEPENDENCY] === "ok") !== connected;
    if (!stale) return Promise.resolve(last!);
    running ??= run().finally(() => (running = undefined));
    return running;
  };

  void check().catch((error) => log.warn("readiness check failed", { error }));
  const intervalMs = options.intervalMs ?? 2_000;
  const timer = intervalMs > 0 ? setInterval(() => void check().catch((error) => log.warn("readiness check failed", { error })), intervalMs) : undefined;
  timer?.unref?.();

  return {
    check,
    get connected() {
      return connected;
    },
    blocked(names) {
      if (!connected) return "NATS is disconnected";
      if (!last) return undefined;
      for (const [name, state] of Object.entries(last.checks)) {
        if (state === "ok" || state === NOT_CHECKED || state.startsWith("could not check")) continue;
        if (name === NATS_DEPENDENCY) continue;
        if (!names || names.includes(name)) return `${name}: ${state}`;
      }
      return undefined;
    },
    summary() {
      return last ? { ready: last.ready && connected, dependencies: last.checks } : { ready: false, dependencies: {} };
    },
    stop() {
      clearInterval(timer);
    },
  };
}
