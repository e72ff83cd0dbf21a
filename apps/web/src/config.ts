import { EnvReader, readPlatformConfig, type Env, type PlatformConfig } from "@forecourt/shared/platform";

export interface WebConfig extends PlatformConfig {
  port: number;
}

export function loadConfig(env: Env): WebConfig {
  const reader = new EnvReader(env);
  const config = { ...readPlatformConfig(reader), port: reader.port("WEB_PORT", 3001) };
  reader.done();
  return config;
}
