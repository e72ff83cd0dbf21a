/** Typed configuration from environment variables: every problem reported at once, before listening. */
import { DEFAULT_PARTICIPANT, participantNameProblem } from "../contracts/participants.ts";
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

  /**
   * Credentials for NATS: NATS_USER with NATS_PASSWORD, or NATS_CREDS (a .creds file: a user JWT and its nkey
   * seed, for servers in operator mode). Neither: connect without credentials.
   */
  natsAuth(): NatsAuth | undefined {
    const user = this.env.NATS_USER;
    const password = this.env.NATS_PASSWORD;
    const credsFile = this.env.NATS_CREDS;
    if (credsFile && (user || password)) {
      this.problems.push("set either NATS_CREDS or NATS_USER and NATS_PASSWORD, not both");
      return undefined;
    }
    if (credsFile) return { credsFile };
    if (user && !password) this.problems.push("NATS_USER is set but NATS_PASSWORD is not");
    if (password && !user) this.problems.push("NATS_PASSWORD is set but NATS_USER is not");
    return user && password ? { user, password } : undefined;
  }

  logLevel(name = "LOG_LEVEL", fallback: LogLevel = "info"): LogLevel {
    const raw = this.string(name, fallback);
    if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
      this.problems.push(`${name} must be one of ${LOG_LEVELS.join(", ")}, got "${raw}"`);
      return fallback;
    }
    return raw as LogLevel;
  }

  /** An optional http(s) base URL; undefined when unset. */
  httpUrl(name: string, example: string): string | undefined {
    const raw = this.string(name, "");
    if (raw === "") return undefined;
    try {
      const url = new URL(raw);
      if (url.protocol === "http:" || url.protocol === "https:") return raw.replace(/\/+$/, "");
    } catch {}
    this.problems.push(`${name} must be an http(s) URL such as ${example}, got "${raw}"`);
    return undefined;
  }

  /** The workshop participant this stack is: the origin token of the vehicle events it publishes. */
  participant(name = "FORECOURT_PARTICIPANT"): string {
    const raw = this.string(name, DEFAULT_PARTICIPANT);
    const problem = participantNameProblem(raw);
    if (problem) {
      this.problems.push(`${name}: ${problem}`);
      return DEFAULT_PARTICIPANT;
    }
    return raw;
  }

  /** Throws one ConfigError naming every bad variable. */
  done(): void {
    if (this.problems.length) throw new ConfigError(this.problems);
  }
}

/** How an app proves who it is to NATS (see EnvReader.natsAuth). */
export type NatsAuth = { user: string; password: string } | { credsFile: string };

/**
 * What every app reads: where NATS is and as whom to connect, which interface to bind, how much to log, which
 * participant it is, where traces go, how many copies JetStream keeps.
 */
export interface PlatformConfig {
  host: string;
  natsUrl: string;
  natsAuth?: NatsAuth;
  logLevel: LogLevel;
  participant: string;
  /** OTLP/HTTP collector base URL (OTEL_EXPORTER_OTLP_ENDPOINT); unset, no span leaves the process. */
  otlpEndpoint?: string;
  /** Milliseconds finished spans wait to be exported in one batch (OTEL_BSP_SCHEDULE_DELAY). */
  otlpExportDelayMs: number;
  /** NATS_REPLICAS: replicas every stream and bucket must have (1 to 5, JetStream's limit); fewer is raised by admin's setup or refused. */
  replicas: number;
}

export function readPlatformConfig(reader: EnvReader): PlatformConfig {
  return {
    host: reader.string("HOST", "127.0.0.1"),
    natsUrl: reader.natsUrl(),
    natsAuth: reader.natsAuth(),
    logLevel: reader.logLevel(),
    participant: reader.participant(),
    otlpEndpoint: reader.httpUrl("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"),
    otlpExportDelayMs: reader.int("OTEL_BSP_SCHEDULE_DELAY", 5_000, 1, 600_000),
    replicas: reader.int("NATS_REPLICAS", 1, 1, MAX_REPLICAS),
  };
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
