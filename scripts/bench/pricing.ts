/**
 * GetPrice by protocol: `bun scripts/bench/pricing.ts [requests] [concurrency]` (default 3000, 16). For GetPrice over
 * gRPC beside a bare Connect server (the figure issue 15 sets a target for), run `bun run bench`.
 * Starts its own nats-server and pricing app on free ports, then runs the same bounded load over gRPC (HTTP/2
 * cleartext), Connect binary (HTTP/2), Connect JSON (HTTP/1.1) and the NATS micro endpoint, printing requests/s and p50/p99 latency.
 * The app logs at info (one line per call, as deployed). Client and server share this machine's cores, so read
 * the figures as relative, not as capacity.
 */
import { join } from "node:path";
import { createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { PriceCalculatorService } from "@forecourt/shared/gen/forecourt/pricing/v1/pricing_pb";
import { freePort, startApp, startNatsServer } from "@forecourt/shared/testing";
import { connect } from "@nats-io/transport-node";
import { summarise } from "./latency.ts";

const requests = Number(process.argv[2] ?? 3_000);
const concurrency = Number(process.argv[3] ?? 16);
const warmup = 200;
const cars = [
  { modelCode: "ford-fiesta", color: "Blue", year: 2015 },
  { modelCode: "ford-focus", color: "Black", year: 2020 },
  { modelCode: "volkswagen-golf", color: "Yellow", year: 2009 },
];

async function measure(label: string, call: (i: number) => Promise<unknown>) {
  for (let i = 0; i < warmup; i++) await call(i);
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const i = next++;
        const t0 = performance.now();
        await call(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const { p50, p99 } = summarise(latencies);
  console.log(`${label.padEnd(28)} ${String(Math.round(requests / seconds)).padStart(7)} req/s   p50 ${p50.toFixed(2).padStart(6)} ms   p99 ${p99.toFixed(2).padStart(6)} ms`);
}

const nats = await startNatsServer();
const [port, httpPort] = [await freePort(), await freePort()];
const app = await startApp(join(import.meta.dir, "../../apps/pricing/src/main.ts"), { NATS_URL: nats.url, PRICING_PORT: String(port), PRICING_HTTP_PORT: String(httpPort) });
try {
  console.log(`GetPrice: ${requests} requests per protocol, ${concurrency} in flight, after ${warmup} warm-up requests`);
  const viaConnect = (transport: Transport) => {
    const client = createClient(PriceCalculatorService, transport);
    return (i: number) => client.getPrice(cars[i % cars.length]!);
  };
  await measure("gRPC, HTTP/2 cleartext", viaConnect(createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` })));
  await measure("Connect binary, HTTP/2", viaConnect(createConnectTransport({ baseUrl: `http://127.0.0.1:${port}`, httpVersion: "2", useBinaryFormat: true })));
  await measure("Connect JSON, HTTP/1.1", viaConnect(createConnectTransport({ baseUrl: `http://127.0.0.1:${httpPort}`, httpVersion: "1.1" })));
  const nc = await connect({ servers: nats.url });
  await measure("NATS request-reply (JSON)", (i) => nc.request("forecourt.pricing.get-price", JSON.stringify(cars[i % cars.length]), { timeout: 5_000 }));
  await nc.close();
} finally {
  await app.kill();
  await nats.dispose();
}
