import { EnvReader, readPlatformConfig, type Env, type PlatformConfig } from "@forecourt/shared/platform";

export interface PricingConfig extends PlatformConfig {
  /** HTTP/2 cleartext: gRPC, Connect and gRPC-Web. */
  port: number;
  /** HTTP/1.1: Connect and gRPC-Web for browsers and curl. */
  httpPort: number;
  /** The limit for a unary call that sent no deadline of its own. */
  requestTimeoutMs: number;
  /** The largest request message read (after decompression); bigger ones are refused unread with RESOURCE_EXHAUSTED. */
  readMaxBytes: number;
}

export function loadConfig(env: Env): PricingConfig {
  const reader = new EnvReader(env);
  const config = {
    ...readPlatformConfig(reader),
    port: reader.port("PRICING_PORT", 50051),
    httpPort: reader.port("PRICING_HTTP_PORT", 3002),
    requestTimeoutMs: reader.int("PRICING_REQUEST_TIMEOUT_MS", 5_000, 1, 600_000),
    // A GetPrice request is well under 200 bytes; reflection requests name a file or symbol.
    readMaxBytes: reader.int("PRICING_READ_MAX_BYTES", 64 * 1024, 1, 64 * 1024 * 1024),
  };
  reader.done();
  return config;
}
