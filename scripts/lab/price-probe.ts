/**
 * Price calls the way each style makes them, timed, while a step runs: REST (Connect JSON over HTTP/1.1) and gRPC
 * (h2c) to a calculator through a lab-owned shaper that gets the step's settings (a call to another participant's
 * machine), and NATS request/reply from a participant without a calculator, which crosses the hub (its link and the
 * answering participant's link).
 */
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { startLinkShaper, type LinkShaper, type SettingsChange } from "@forecourt/link-shaper";
import { PriceCalculatorService } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";
import type { NatsConnection } from "@nats-io/transport-node";
import { createGetPrice, createNatsGetPrice, createPricingTransport, type PriceRequest } from "../../apps/pricer/src/pricing-client.ts";

export const PRICE_STYLES = ["REST", "gRPC", "NATS req/reply"] as const;
export type PriceStyle = (typeof PRICE_STYLES)[number];

export interface PriceSamples {
  latencies: Record<PriceStyle, number[]>;
  failures: Record<PriceStyle, number>;
}

export interface PriceProbe {
  /** The shapers in front of the calculator get these settings too. */
  shape(change: SettingsChange): void;
  /** Calls each style one after another, each in its own loop, until `stop` is called. */
  run(intervalMs: number): { stop(): Promise<PriceSamples> };
  close(): Promise<void>;
}

const REQUEST: PriceRequest = { modelCode: "ford-fiesta", color: "Blue", year: 2018 };
const TIMEOUT_MS = 5_000;

export async function startPriceProbe(options: { calculator: { grpcPort: number; httpPort: number }; remoteCaller: NatsConnection }): Promise<PriceProbe> {
  const shapers: LinkShaper[] = [
    await startLinkShaper({ listen: { host: "127.0.0.1", port: 0 }, to: { host: "127.0.0.1", port: options.calculator.httpPort } }),
    await startLinkShaper({ listen: { host: "127.0.0.1", port: 0 }, to: { host: "127.0.0.1", port: options.calculator.grpcPort } }),
  ];
  const rest = createClient(PriceCalculatorService, createConnectTransport({ baseUrl: `http://127.0.0.1:${shapers[0]!.listen.port}`, httpVersion: "1.1" }));
  const grpc = createGetPrice(createPricingTransport(`http://127.0.0.1:${shapers[1]!.listen.port}`), TIMEOUT_MS, "calculator");
  const nats = createNatsGetPrice(options.remoteCaller, TIMEOUT_MS);
  const calls: Record<PriceStyle, () => Promise<unknown>> = {
    REST: () => rest.getPrice(REQUEST, { timeoutMs: TIMEOUT_MS }),
    gRPC: () => grpc(REQUEST),
    "NATS req/reply": () => nats(REQUEST),
  };
  return {
    shape(change) {
      for (const shaper of shapers) shaper.set(change);
    },
    run(intervalMs) {
      const samples: PriceSamples = { latencies: { REST: [], gRPC: [], "NATS req/reply": [] }, failures: { REST: 0, gRPC: 0, "NATS req/reply": 0 } };
      let running = true;
      const loops = PRICE_STYLES.map(async (style) => {
        while (running) {
          const started = performance.now();
          try {
            await calls[style]();
            samples.latencies[style].push(performance.now() - started);
          } catch {
            samples.failures[style]++;
          }
          await Bun.sleep(Math.max(0, intervalMs - (performance.now() - started)));
        }
      });
      return {
        async stop() {
          running = false;
          await Promise.all(loops);
          return samples;
        },
      };
    },
    async close() {
      await Promise.all(shapers.map((s) => s.stop()));
    },
  };
}
