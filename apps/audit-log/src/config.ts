import { EnvReader, readPlatformConfig, type Env, type PlatformConfig } from "@forecourt/shared/platform";

export interface AuditLogConfig extends PlatformConfig {
  /** The JSON-lines file; relative paths are resolved from the working directory. */
  path: string;
}

export function loadConfig(env: Env): AuditLogConfig {
  const reader = new EnvReader(env);
  const config = { ...readPlatformConfig(reader), path: reader.string("AUDIT_LOG_PATH", ".data/audit-log.jsonl") };
  reader.done();
  return config;
}
