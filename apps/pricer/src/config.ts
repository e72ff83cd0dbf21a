import { SUBJECTS } from "@forecourt/shared/contracts";
import { DEFAULT_CONSUMER_SETTINGS, EnvReader, readPlatformConfig, type ConsumerSettings, type Env, type PlatformConfig } from "@forecourt/shared/platform";

export type PricingTransport = "grpc" | "nats";

export interface PricerConfig extends PlatformConfig {
  /** grpc: every calculator in pricingUrls; nats: the request/reply endpoint forecourt.pricing.get-price (any participant's). */
  pricingTransport: PricingTransport;
  /** Base URLs of every price calculator's gRPC (h2c) listener, called round-robin (pricing-pool.ts). */
  pricingUrls: string[];
  /** Deadline of one GetPrice call; a slower answer counts as a transient failure. */
  pricingTimeoutMs: number;
  consumer: ConsumerSettings;
  /** Where this instance serves GET /metrics; a second instance on one host needs its own. */
  metricsPort: number;
}

export const PRICER_METRICS_PORT = 3003;

/** Where prices come from, for logs and `nats micro info`: the gRPC URLs or the NATS subject. */
export function pricingTarget(config: Pick<PricerConfig, "pricingTransport" | "pricingUrls">): string {
  return config.pricingTransport === "nats" ? SUBJECTS.getPrice : config.pricingUrls.join(",");
}

export function loadConfig(env: Env): PricerConfig {
  const reader = new EnvReader(env);
  const platform = readPlatformConfig(reader);
  const pricingPort = reader.port("PRICING_PORT", 50051);
  const pricingUrl = reader.string("PRICING_URL", `http://127.0.0.1:${pricingPort}`);
  const pricingUrls = pricingUrl.split(",").map((url) => url.trim().replace(/\/$/, ""));
  if (!pricingUrls.every((url) => /^https?:\/\/[^/\s]+$/.test(url)))
    reader.problems.push(`PRICING_URL must be base URLs, comma-separated, such as http://127.0.0.1:50051,http://127.0.0.1:50061, got "${pricingUrl}"`);
  const transport = reader.string("PRICING_TRANSPORT", "grpc");
  if (transport !== "grpc" && transport !== "nats") reader.problems.push(`PRICING_TRANSPORT must be grpc or nats, got "${transport}"`);
  const defaults = DEFAULT_CONSUMER_SETTINGS;
  const config: PricerConfig = {
    ...platform,
    pricingTransport: transport === "nats" ? "nats" : "grpc",
    pricingUrls,
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
  reader.done();
  return config;
}
