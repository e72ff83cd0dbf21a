import { DEFAULT_CONSUMER_SETTINGS, EnvReader, readPlatformConfig, type ConsumerSettings, type Env, type PlatformConfig } from "@forecourt/shared/platform";

export interface PricerConfig extends PlatformConfig {
  /** Base URL of the price calculator's gRPC (h2c) listener. */
  pricingUrl: string;
  /** Deadline of one GetPrice call; a slower answer counts as a transient failure. */
  pricingTimeoutMs: number;
  consumer: ConsumerSettings;
  /** Where this instance serves GET /metrics; a second instance on one host needs its own. */
  metricsPort: number;
}

export const PRICER_METRICS_PORT = 3003;

export function loadConfig(env: Env): PricerConfig {
  const reader = new EnvReader(env);
  const platform = readPlatformConfig(reader);
  const pricingPort = reader.port("PRICING_PORT", 50051);
  const pricingUrl = reader.string("PRICING_URL", `http://127.0.0.1:${pricingPort}`);
  if (!/^https?:\/\/[^/\s]+\/?$/.test(pricingUrl)) reader.problems.push(`PRICING_URL must be a base URL such as http://127.0.0.1:50051, got "${pricingUrl}"`);
  const defaults = DEFAULT_CONSUMER_SETTINGS;
  const config: PricerConfig = {
    ...platform,
    pricingUrl: pricingUrl.replace(/\/$/, ""),
    pricingTimeoutMs: reader.int("PRICING_TIMEOUT_MS", 2_000, 1, 600_000),
    metricsPort: reader.port("METRICS_PORT", PRICER_METRICS_PORT),
    consumer: {
      maxDeliver: reader.int("PRICER_MAX_DELIVER", defaults.maxDeliver, 1, 1_000),
      ackWaitMs: reader.int("PRICER_ACK_WAIT_MS", defaults.ackWaitMs, 1_000, 3_600_000),
      concurrency: reader.int("PRICER_CONCURRENCY", defaults.concurrency, 1, 1_000),
      backoff: {
        initialMs: reader.int("PRICER_RETRY_INITIAL_MS", defaults.backoff.initialMs, 1, 3_600_000),
        maxMs: reader.int("PRICER_RETRY_MAX_MS", defaults.backoff.maxMs, 1, 3_600_000),
      },
    },
  };
  if (config.consumer.ackWaitMs <= config.pricingTimeoutMs) reader.problems.push(`PRICER_ACK_WAIT_MS (${config.consumer.ackWaitMs}) must exceed PRICING_TIMEOUT_MS (${config.pricingTimeoutMs})`);
  reader.done();
  return config;
}
