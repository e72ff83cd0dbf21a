/** Typed configuration from environment variables: every problem reported at once, before listening. */
import { MAX_REPLICAS } from "./replicas.ts";

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(readonly problems: string[], options?: ErrorOptions) {
    super(problems.join("; "), options);
    this.name = "ConfigError";
  }
}

const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Collects problems while reading variables, so one bad value never hides another. */
export class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  string(name: string, fallback: string): string {
    const value = this.env[name];
    if (value === undefined || value === "") return fallback;
    return value;
  }

  port(name: string, fallback: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === "") return fallback;
    const port = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(port) || port < 0 || port > 65535) {
      this.problems.push(`${name} must be a port number 0-65535, got "${raw}"`);
      return fallback;
    }
    return port;
  }

  int(name: string, fallback: number, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
    const raw = this.env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
      this.problems.push(`${name} must be an integer ${min}-${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  natsUrl(name = "NATS_URL", fallback = "nats://127.0.0.1:4222"): string {
    const raw = this.string(name, fallback);
    for (const part of raw.split(",")) {
      try {
        const url = new URL(part.includes("://") ? part : `nats://${part}`);
        if (!["nats:", "tls:", "ws:", "wss:"].includes(url.protocol)) throw new Error(url.protocol);
      } catch {
        this.problems.push(`${name} must be a NATS URL such as nats://127.0.0.1:4222, got "${raw}"`);
        return fallback;
      }
    }
    return raw;
  }

  logLevel(name = "LOG_LEVEL", fallback: LogLevel = "info"): LogLevel {
    const raw = this.string(name, fallback);
    if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
      this.problems.push(`${name} must be one of ${LOG_LEVELS.join(", ")}, got "${raw}"`);
      return fallback;
    }
    return raw as LogLevel;
  }

  /** Throws one ConfigError naming every bad variable. */
  done(): void {
    if (this.problems.length) throw new ConfigError(this.problems);
  }
}

/** What every app reads: where NATS is, which interface to bind, how much to log, how many copies JetStream keeps. */
export interface PlatformConfig {
  host: string;
  natsUrl: string;
  logLevel: LogLevel;
  /** NATS_REPLICAS: replicas of every stream and bucket this app creates or finds with fewer (1 to 5, JetStream's limit). */
  replicas: number;
}

export function readPlatformConfig(reader: EnvReader): PlatformConfig {
  return { host: reader.string("HOST", "127.0.0.1"), natsUrl: reader.natsUrl(), logLevel: reader.logLevel(), replicas: reader.int("NATS_REPLICAS", 1, 1, MAX_REPLICAS) };
}

/**
 * Runs an app's pure config loader; on failure prints one line naming the variables and exits 1.
 * Only entry points call this: it is the one place a config problem stops the process.
 */
export function loadConfigOrExit<T>(service: string, load: (env: Env) => T, env: Env = process.env): T {
  try {
    return load(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${service}: invalid configuration: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
