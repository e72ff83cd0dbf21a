import { EnvReader, readPlatformConfig, type Env, type PlatformConfig } from "@forecourt/shared/platform";

export interface PricingConfig extends PlatformConfig {
  /** HTTP/2 cleartext: gRPC, Connect and gRPC-Web. */
  port: number;
  /** HTTP/1.1: Connect and gRPC-Web for browsers and curl. */
  httpPort: number;
}

export function loadConfig(env: Env): PricingConfig {
  const reader = new EnvReader(env);
  const config = {
    ...readPlatformConfig(reader),
    port: reader.port("PRICING_PORT", 50051),
    httpPort: reader.port("PRICING_HTTP_PORT", 3002),
  };
  reader.done();
  return config;
}
