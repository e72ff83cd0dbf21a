import { EnvReader, readPlatformConfig, type Env, type PlatformConfig } from "@forecourt/shared/platform";

export interface AuditLogConfig extends PlatformConfig {
  /** The JSON-lines file; relative paths are resolved from the working directory. */
  path: string;
  /** Where GET /metrics is served. */
  metricsPort: number;
}

export const AUDIT_LOG_METRICS_PORT = 3004;

export function loadConfig(env: Env): AuditLogConfig {
  const reader = new EnvReader(env);
  const config = { ...readPlatformConfig(reader), path: reader.string("AUDIT_LOG_PATH", ".data/audit-log.jsonl"), metricsPort: reader.port("METRICS_PORT", AUDIT_LOG_METRICS_PORT) };
  reader.done();
  return config;
}
