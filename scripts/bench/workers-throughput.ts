/**
 * End-to-end pricing throughput: listed events published to JetStream → pricer instances → gRPC price
 * calculator → priced events confirmed by JetStream, with the audit log recording everything alongside.
 * Own nats-server, temporary store, free ports; the real price calculator (apps/pricing) in its own process.
 *
 *   bun scripts/bench/workers-throughput.ts [events=3000] [pricers=2]
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, headers } from "@nats-io/transport-node";
import { encodeEvent, SUBJECTS, vehicleSubject } from "@forecourt/shared/contracts";
import { ensureStreams } from "@forecourt/shared/platform";
import { freePort, newTraceparent, startApp, startNatsServer, waitFor, type AppProcess } from "@forecourt/shared/testing";

const root = join(import.meta.dir, "../..");
const events = Number(process.argv[2] ?? 3_000);
const pricers = Number(process.argv[3] ?? 2);
if (!Number.isInteger(events) || events < 1 || !Number.isInteger(pricers) || pricers < 1) {
  console.error("usage: bun scripts/bench/workers-throughput.ts [events>=1] [pricers>=1]");
  process.exit(1);
}

const nats = await startNatsServer();
const dir = mkdtempSync(join(tmpdir(), "forecourt-bench-"));
const auditPath = join(dir, "audit.jsonl");
const nc = await connect({ servers: nats.url });
const apps: AppProcess[] = [];
try {
  await ensureStreams(await jetstreamManager(nc));
  const pricing = await startApp(join(root, "apps/pricing/src/main.ts"), { NATS_URL: nats.url, PRICING_PORT: String(await freePort()), PRICING_HTTP_PORT: String(await freePort()) });
  apps.push(pricing);
  const env = { NATS_URL: nats.url, PRICING_URL: String(pricing.logs.find((l) => l.msg === "ready")!.h2c), LOG_LEVEL: "info" };
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
  const started = performance.now();
  for (let start = 0; start < events; start += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, events - start) }, (_, k) => {
        const i = start + k;
        const h = headers();
        h.set("traceparent", newTraceparent().traceparent);
        const body = { registration: `B${String(i).padStart(6, "0")}`, manufacturerCode: "ford", manufacturerName: "Ford", modelCode: "ford-fiesta", modelName: "Fiesta", color: "Blue", year: 2000 + (i % 25), listedAt: new Date().toISOString() };
        return js.publish(vehicleSubject("listed", "ford", "ford-fiesta"), encodeEvent("listed", body), { headers: h, msgID: `listed:${body.registration}` });
      }),
    );
  }
  const publishedAt = performance.now();
  await waitFor(() => priced >= events, { timeoutMs: 120_000, intervalMs: 5, what: `${events} priced events` });
  const auditLines = () => readFileSync(auditPath, "utf8").split("\n").length - 1;
  await waitFor(() => auditLines() >= events * 2, { timeoutMs: 120_000, intervalMs: 5, what: "every event audited" });
  const auditedAt = performance.now();
  sub.unsubscribe();

  const seconds = (ms: number) => (ms / 1000).toFixed(2);
  console.log(`events: ${events} listed, ${pricers} pricer instance(s), price calculator: apps/pricing over gRPC h2c`);
  console.log(`published all listed events in ${seconds(publishedAt - started)} s (${Math.round(events / ((publishedAt - started) / 1000))} events/s)`);
  console.log(`priced end-to-end: ${events} in ${seconds(lastPricedAt - started)} s = ${Math.round(events / ((lastPricedAt - started) / 1000))} events/s`);
  console.log(`audited (listed + priced = ${events * 2} lines): ${seconds(auditedAt - started)} s = ${Math.round((events * 2) / ((auditedAt - started) / 1000))} lines/s`);
} finally {
  await Promise.all(apps.map((app) => app.kill("SIGTERM")));
  await nc.close();
  await nats.dispose();
  rmSync(dir, { recursive: true, force: true });
}
