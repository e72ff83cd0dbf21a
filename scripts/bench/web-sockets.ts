/**
 * `bun scripts/bench/web-sockets.ts [sockets=300] [events=200] [ratePerSecond=100]`
 *
 * Starts a private nats-server and the web app as its own process, opens many WebSockets to /ws, publishes
 * listed events into the VEHICLES stream at a steady rate and prints the delivery latency (publish → frame
 * received, every socket, every event) as p50/p99/max, plus the web process's memory before and after.
 * The sockets live in this process, so the figures include this client's own JSON parsing.
 */
import { readFileSync } from "node:fs";
import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { encodeEvent, vehicleSubject } from "@forecourt/shared/contracts";
import { freePort, startApp, startNatsServer, waitFor } from "@forecourt/shared/testing";
import { ACK_EVERY_FRAMES } from "../../apps/web/src/page/connection.ts";

const [sockets = 300, events = 200, rate = 100] = process.argv.slice(2).map(Number);
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const nats = await startNatsServer();
const port = await freePort();
// Every socket comes from this one address: lift the per-client cap (and the total) to the count asked for.
const cap = String(Math.max(sockets, 5_000));
const web = await startApp("apps/web/src/main.ts", { NATS_URL: nats.url, WEB_PORT: String(port), WEB_MAX_SOCKETS_PER_CLIENT: cap, WEB_MAX_SOCKETS: cap }).catch(async (error) => {
  await nats.dispose();
  throw error;
});
const nc = await connect({ servers: nats.url });
const js = jetstream(nc);
try {
  const idleRss = rssMiB(web.proc.pid);
  const publishedAt = new Map<string, number>();
  const latencies: number[] = [];
  let subscribed = 0;
  const opened: WebSocket[] = [];
  const connectStart = performance.now();
  for (let i = 0; i < sockets; i++) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    ws.onopen = () => ws.send(JSON.stringify({ type: "subscribe", manufacturer: null, after: null }));
    ws.onmessage = (event) => {
      const now = performance.now();
      const message = JSON.parse(String(event.data));
      if (message.type === "subscribed") subscribed++;
      if (message.type !== "vehicle") return;
      latencies.push(now - publishedAt.get(message.vehicle.registration)!);
      // Acknowledged as the page does, or the server stops the socket at WEB_MAX_UNACKED frames.
      if (message.seq % ACK_EVERY_FRAMES === 0) ws.send(JSON.stringify({ type: "ack", seq: message.seq }));
    };
    opened.push(ws);
  }
  await waitFor(() => subscribed === sockets, { timeoutMs: 60_000, what: `${sockets} subscribed sockets` });
  const connectMs = performance.now() - connectStart;
  const connectedRss = rssMiB(web.proc.pid);

  const interval = 1000 / rate;
  const publishStart = performance.now();
  for (let i = 0; i < events; i++) {
    const registration = `BN${String(i).padStart(5, "0")}`;
    const body = { registration, manufacturerCode: "ford", manufacturerName: "Ford", modelCode: "ford-fiesta", modelName: "Fiesta", color: "Blue", year: 2015, listedAt: new Date().toISOString() };
    publishedAt.set(registration, performance.now());
    await js.publish(vehicleSubject("listed", "ford", "ford-fiesta", "local"), encodeEvent("listed", body));
    const due = publishStart + (i + 1) * interval;
    if (due > performance.now()) await Bun.sleep(due - performance.now());
  }
  const expected = sockets * events;
  await waitFor(() => latencies.length >= expected, { timeoutMs: 120_000, what: `${expected} deliveries` });
  const peakRss = rssMiB(web.proc.pid);
  const stats = JSON.parse(new TextDecoder().decode((await nc.request("forecourt.web.stats", undefined, { timeout: 2_000 })).data));

  latencies.sort((a, b) => a - b);
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  console.log(`sockets ${sockets}, events ${events} at ${rate}/s, frames delivered ${latencies.length}/${expected}`);
  console.log(`connect+subscribe all sockets: ${ms(connectMs)}`);
  console.log(`delivery latency p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies.at(-1)!)}`);
  console.log(`web RSS: idle ${idleRss.toFixed(1)} MiB, ${sockets} sockets ${connectedRss.toFixed(1)} MiB, after relaying ${peakRss.toFixed(1)} MiB`);
  console.log(`web stats: ${JSON.stringify(stats)}`);
  for (const ws of opened) ws.close();
} finally {
  await nc.close();
  await web.kill();
  await nats.dispose();
}
