import { EnvReader, readPlatformConfig, type Env, type PlatformConfig } from "@forecourt/shared/platform";

export interface ApiConfig extends PlatformConfig {
  port: number;
}

export function loadConfig(env: Env): ApiConfig {
  const reader = new EnvReader(env);
  const config = { ...readPlatformConfig(reader), port: reader.port("API_PORT", 3000) };
  reader.done();
  return config;
}
