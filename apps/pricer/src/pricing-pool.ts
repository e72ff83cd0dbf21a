/**
 * Every price calculator in PRICING_URL, called round-robin over gRPC, a GetPrices call (the cars the pricer
 * handles at once, price-batches.ts) at a time: each calculator keeps its own HTTP/2 connection, so the batches
 * spread over every calculator that is up. A call that finds its target unreachable (UNAVAILABLE: refused, reset,
 * no HTTP/2 session) marks it down, and the cars it left unanswered go to the next one at once; a prober asks each
 * target's grpc.health.v1.Health/Check every second and marks it up on SERVING, down on anything else. Only when
 * no target is left does a call fail (UNAVAILABLE, so the consumer loop retries those cars later).
 */
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { PriceCalculatorService } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";
import { Health, HealthCheckResponse_ServingStatus as ServingStatus } from "@forecourt/shared/gen/grpc/health/v1/health_pb";
import type { Dependency, Logger } from "@forecourt/shared/platform";
import type { GetPrices } from "./price-batches.ts";
import { createGetPrices, createPricingTransport } from "./pricing-client.ts";
import { RoundRobin, type Target } from "./round-robin.ts";

export interface PricingPoolOptions {
  urls: string[];
  /** Deadline of one GetPrices call, and of one health check. */
  timeoutMs: number;
  /** The participant whose calculators these are, named in every quote. */
  pricedBy: string;
  probeIntervalMs?: number;
  log: Logger;
  transportFor?: (url: string) => Transport;
}

export interface PricingPool {
  /** Prices a batch of cars on the next calculator that is up (for batchedGetPrice). */
  getPrices: GetPrices;
  /** Each target's state and counters (for `nats micro stats forecourt-pricer`). */
  targets(): Target[];
  /** Health-checks every target once (the prober does this every interval). */
  probe(): Promise<void>;
  /** For readiness: at least one calculator is up. */
  dependency: Dependency;
  stop(): void;
}

/** The target could not be reached or dropped the call: the call is worth sending to another one. */
export function isUnreachable(error: unknown): boolean {
  return error instanceof ConnectError && error.code === Code.Unavailable;
}

export function createPricingPool({ urls, timeoutMs, pricedBy, probeIntervalMs = 1_000, log, transportFor = createPricingTransport }: PricingPoolOptions): PricingPool {
  const rr = new RoundRobin(urls);
  const clients = urls.map((url) => {
    const transport = transportFor(url);
    return { getPrices: createGetPrices(transport, timeoutMs, pricedBy), health: createClient(Health, transport) };
  });
  const setUp = (i: number, up: boolean, reason?: unknown) => {
    if (!rr.setUp(i, up)) return;
    if (up) log.info("price calculator up", { url: urls[i], up: rr.upCount(), of: urls.length });
    else log.warn("price calculator down", { url: urls[i], up: rr.upCount(), of: urls.length, reason: reason instanceof Error ? reason.message : String(reason) });
  };

  const getPrices: GetPrices = async (cars, onResult) => {
    const tried = new Set<number>();
    // Indexes into `cars` of those still without a result.
    let waiting = cars.map((_, k) => k);
    for (;;) {
      const i = rr.next(tried);
      if (i === undefined) throw new ConnectError(`no price calculator reachable (${rr.upCount()} of ${urls.length} up, ${tried.size} tried for this call)`, Code.Unavailable);
      tried.add(i);
      const target = rr.targets[i]!;
      target.calls++;
      const sent = waiting;
      const answered = new Set<number>();
      try {
        await clients[i]!.getPrices(
          sent.map((k) => cars[k]!),
          (j, outcome) => {
            answered.add(j);
            onResult(sent[j]!, outcome);
          },
        );
        return;
      } catch (error) {
        target.failures++;
        if (!isUnreachable(error)) throw error;
        setUp(i, false, error);
        waiting = sent.filter((_, j) => !answered.has(j));
        if (!waiting.length) return;
      }
    }
  };

  const probing = new Set<number>();
  const probeOne = async (i: number) => {
    if (probing.has(i)) return;
    probing.add(i);
    try {
      const { status } = await clients[i]!.health.check({ service: PriceCalculatorService.typeName }, { timeoutMs });
      setUp(i, status === ServingStatus.SERVING, `health: ${ServingStatus[status]}`);
    } catch (error) {
      // A calculator without the health service still answered, so it is reachable.
      setUp(i, error instanceof ConnectError && error.code === Code.Unimplemented, error);
    } finally {
      probing.delete(i);
    }
  };
  const probe = async () => void (await Promise.all(urls.map((_, i) => probeOne(i))));
  const timer = setInterval(() => void probe(), probeIntervalMs);

  const dependency: Dependency = {
    name: "pricing",
    async probe() {
      await probe();
      return rr.upCount() ? undefined : `no price calculator answers its health check (${urls.join(", ")})`;
    },
  };
  return { getPrices, targets: () => rr.targets.map((t) => ({ ...t })), probe, dependency, stop: () => clearInterval(timer) };
}
