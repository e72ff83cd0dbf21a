/**
 * Baseline: the broker's ceiling for what a POST does first, a JetStream KV `create` of a new key, with
 * `concurrency` creates in flight for `seconds`. Its own bucket (same settings as `vehicles`: history 1) and
 * a value as large as a stored vehicle. `bun kv-create-loop.ts <natsUrl> <concurrency> <seconds> <valueBytes>`,
 * as NATS_USER/NATS_PASSWORD (a user that may make a bucket: admin); prints one JSON line: {"requests", "seconds", "errors", "p50Ms", "p99Ms"}.
 */
import { jetstream } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { connect } from "@nats-io/transport-node";
import { summarise } from "../latency.ts";

const [url, concurrencyArg, secondsArg, bytesArg] = process.argv.slice(2);
const nc = await connect({ servers: url!, user: process.env.NATS_USER, pass: process.env.NATS_PASSWORD });
const kv = await new Kvm(jetstream(nc)).create("bench_kv_create", { history: 1 });
const value = new TextEncoder().encode(JSON.stringify({ pad: "x".repeat(Math.max(0, Number(bytesArg) - 10)) }));
const deadline = performance.now() + Number(secondsArg) * 1000;
const latencies: number[] = [];
let next = 0;
let errors = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: Number(concurrencyArg) }, async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        await kv.create(`K${(next++).toString(36)}`, value);
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
const { p50, p99 } = summarise(latencies);
console.log(JSON.stringify({ requests: latencies.length, seconds, errors, p50Ms: p50, p99Ms: p99 }));
await kv.destroy();
await nc.close();
