/**
 * The calculator prices from the shared catalog as a KV watch keeps it in memory. While NATS is disconnected or
 * a catalog bucket is gone that copy cannot be known current, so calls answer UNAVAILABLE (the pricer retries
 * them) rather than a price or a NOT_FOUND that might be wrong.
 */
import { SEED_CATALOG, seedCatalog } from "@forecourt/shared/catalog";
import { BUCKETS } from "@forecourt/shared/contracts";
import { bucketDependency, createReadiness, type Logger, type Readiness } from "@forecourt/shared/platform";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { PriceCalculator } from "./pricing-service.ts";

export class CatalogUnavailableError extends Error {
  constructor(readonly reason: string, options?: ErrorOptions) {
    super(`the catalog is unavailable (${reason}); retry shortly`, options);
    this.name = "CatalogUnavailableError";
  }
}

export const CATALOG_DEPENDENCIES = [`bucket ${BUCKETS.manufacturers}`, `bucket ${BUCKETS.models}`];

export function whileCatalogAvailable(calculator: PriceCalculator, readiness: Pick<Readiness, "blocked">): PriceCalculator {
  return {
    async getPrice(request) {
      const reason = readiness.blocked(CATALOG_DEPENDENCIES);
      if (reason) throw new CatalogUnavailableError(reason);
      return calculator.getPrice(request);
    },
    // The whole call fails UNAVAILABLE (every car retried), as each of its cars' GetPrice would.
    async *getPrices(request, context) {
      const reason = readiness.blocked(CATALOG_DEPENDENCIES);
      if (reason) throw new CatalogUnavailableError(reason);
      yield* calculator.getPrices(request, context);
    },
  };
}

/**
 * The gRPC health answer: SERVING exactly when a price call would be answered (connected, no catalog bucket known
 * missing), from the last readiness report without waiting for a probe. A probe that only timed out (JetStream slow
 * under load, a cluster electing a leader) leaves the in-memory catalog answering, so it must not take the
 * calculator out of its callers' rotation either: with every calculator reported NOT_SERVING, cars wait and end in
 * the dead-letter stream although each call would have been answered.
 */
export function servesPrices(readiness: Pick<Readiness, "blocked">): () => Promise<boolean> {
  return async () => readiness.blocked(CATALOG_DEPENDENCIES) === undefined;
}

/** NATS and both catalog buckets; a missing bucket is seeded again (idempotent, as at start). */
export async function createPricingReadiness(nc: NatsConnection, log: Logger): Promise<Readiness> {
  const jsm = await jetstreamManager(nc);
  const reseed = { repair: async () => void (await seedCatalog(jetstream(nc), SEED_CATALOG)) };
  return createReadiness({ nc, log, dependencies: [bucketDependency(jsm, BUCKETS.manufacturers, reseed), bucketDependency(jsm, BUCKETS.models, reseed)] });
}
