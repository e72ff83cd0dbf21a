import { EnvReader, readPlatformConfig, type Env, type PlatformConfig } from "@forecourt/shared/platform";

export type WorkerConfig = PlatformConfig;

export function loadConfig(env: Env): WorkerConfig {
  const reader = new EnvReader(env);
  const config = readPlatformConfig(reader);
  reader.done();
  return config;
}
