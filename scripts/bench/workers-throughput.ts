/**
 * End-to-end pricing throughput: listed events published to JetStream → pricer instances → gRPC price
 * calculator → priced events confirmed by JetStream, with the audit log recording everything alongside.
 * Own nats-server, temporary store, free ports; the real price calculator (apps/pricing) in its own process.
 * `--root=DIR` runs the apps of another checkout (to compare versions), `--otlp` exports every span to an
 * in-process OTLP/HTTP receiver.
 *
 *   bun scripts/bench/workers-throughput.ts [events=3000] [pricers=2] [--root=DIR] [--otlp]
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, headers } from "@nats-io/transport-node";
import { encodeEvent, SUBJECTS, vehicleSubject } from "@forecourt/shared/contracts";
import { ensureStreams } from "@forecourt/shared/platform";
import { freePort, newTraceparent, startApp, startNatsServer, startOtlpReceiver, waitFor, type AppProcess } from "@forecourt/shared/testing";
import { cpuSeconds } from "./cpu-time.ts";
import { benchOptions } from "./options.ts";

const args = process.argv.slice(2);
const options = benchOptions(args.filter((a) => a.startsWith("--")), {});
const [eventsArg, pricersArg] = args.filter((a) => !a.startsWith("--"));
const root = resolve(options.root ?? join(import.meta.dir, "../.."));
const events = Number(eventsArg ?? 3_000);
const pricers = Number(pricersArg ?? 2);
if (!Number.isInteger(events) || events < 1 || !Number.isInteger(pricers) || pricers < 1) {
  console.error("usage: bun scripts/bench/workers-throughput.ts [events>=1] [pricers>=1]");
  process.exit(1);
}

const nats = await startNatsServer();
const receiver = options.otlp ? startOtlpReceiver() : undefined;
const dir = mkdtempSync(join(tmpdir(), "forecourt-bench-"));
const auditPath = join(dir, "audit.jsonl");
const nc = await connect({ servers: nats.url });
const apps: AppProcess[] = [];
try {
  await ensureStreams(await jetstreamManager(nc), "local");
  const otlp: Record<string, string> = receiver ? { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint } : {};
  const pricing = await startApp(join(root, "apps/pricing/src/main.ts"), { NATS_URL: nats.url, PRICING_PORT: String(await freePort()), PRICING_HTTP_PORT: String(await freePort()), ...otlp });
  apps.push(pricing);
  const env = { NATS_URL: nats.url, PRICING_URL: String(pricing.logs.find((l) => l.msg === "ready")!.h2c), LOG_LEVEL: "info", ...otlp };
  for (let i = 0; i < pricers; i++) apps.push(await startApp(join(root, "apps/pricer/src/main.ts"), env));
  apps.push(await startApp(join(root, "apps/audit-log/src/main.ts"), { ...env, AUDIT_LOG_PATH: auditPath }));

  let priced = 0;
  let lastPricedAt = 0;
  const sub = nc.subscribe(SUBJECTS.priced, {
    callback: () => {
      priced += 1;
      lastPricedAt = performance.now();
    },
  });
  const js = jetstream(nc);
  const cpu = () => apps.reduce((sum, app) => sum + cpuSeconds(app.proc.pid), 0);
  const cpuBefore = cpu();
  const started = performance.now();
  for (let start = 0; start < events; start += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, events - start) }, (_, k) => {
        const i = start + k;
        const h = headers();
        h.set("traceparent", newTraceparent().traceparent);
        const body = { registration: `B${String(i).padStart(6, "0")}`, manufacturerCode: "ford", manufacturerName: "Ford", modelCode: "ford-fiesta", modelName: "Fiesta", color: "Blue", year: 2000 + (i % 25), listedAt: new Date().toISOString() };
        return js.publish(vehicleSubject("listed", "ford", "ford-fiesta", "local"), encodeEvent("listed", body), { headers: h, msgID: `listed:${body.registration}` });
      }),
    );
  }
  const publishedAt = performance.now();
  await waitFor(() => priced >= events, { timeoutMs: 120_000, intervalMs: 5, what: `${events} priced events` });
  const auditLines = () => readFileSync(auditPath, "utf8").split("\n").length - 1;
  await waitFor(() => auditLines() >= events * 2, { timeoutMs: 120_000, intervalMs: 5, what: "every event audited" });
  const auditedAt = performance.now();
  const cpuUsed = cpu() - cpuBefore;
  sub.unsubscribe();

  const seconds = (ms: number) => (ms / 1000).toFixed(2);
  console.log(`events: ${events} listed, ${pricers} pricer instance(s), price calculator: apps/pricing over gRPC h2c (${options.root ? `root=${options.root}` : "this checkout"}${receiver ? `, ${receiver.spans.length} spans exported over OTLP` : ""})`);
  console.log(`published all listed events in ${seconds(publishedAt - started)} s (${Math.round(events / ((publishedAt - started) / 1000))} events/s)`);
  console.log(`priced end-to-end: ${events} in ${seconds(lastPricedAt - started)} s = ${Math.round(events / ((lastPricedAt - started) / 1000))} events/s`);
  console.log(`audited (listed + priced = ${events * 2} lines): ${seconds(auditedAt - started)} s = ${Math.round((events * 2) / ((auditedAt - started) / 1000))} lines/s`);
  console.log(`CPU of the apps (pricing, pricers, audit log): ${cpuUsed.toFixed(2)} s = ${((cpuUsed * 1e6) / events).toFixed(0)} µs per car`);
} finally {
  await Promise.all(apps.map((app) => app.kill("SIGTERM")));
  await nc.close();
  receiver?.stop();
  await nats.dispose();
  rmSync(dir, { recursive: true, force: true });
}
