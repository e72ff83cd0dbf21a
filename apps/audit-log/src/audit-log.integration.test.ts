import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from "bun:test";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Svcm } from "@nats-io/services";
import { connect, headers, type NatsConnection } from "@nats-io/transport-node";
import { encodeEvent, SERVICES, STREAMS, vehicleSubject, type VehicleEventKind } from "@forecourt/shared/contracts";
import { ensureStreams } from "@forecourt/shared/platform";
import { newTraceparent, startApp, startNatsServer, waitFor, type AppProcess, type TestNatsServer } from "@forecourt/shared/testing";
import type { AuditLine } from "./audit-line.ts";

const AUDIT_LOG = join(import.meta.dir, "main.ts");

let nats: TestNatsServer;
let nc: NatsConnection;
let dir: string;
let path: string;
let apps: AppProcess[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
});

afterAll(async () => {
  await nc?.close();
  await nats?.dispose();
});

beforeEach(async () => {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.delete(STREAMS.vehicles.name).catch(() => undefined);
  await ensureStreams(jsm, "local");
  dir = mkdtempSync(join(tmpdir(), "forecourt-audit-"));
  path = join(dir, "audit.jsonl");
});

afterEach(async () => {
  await Promise.all(apps.map((app) => app.kill("SIGKILL")));
  apps = [];
  rmSync(dir, { recursive: true, force: true });
});

function startAuditLog() {
  return startApp(AUDIT_LOG, { NATS_URL: nats.url, AUDIT_LOG_PATH: path }).then((app) => (apps.push(app), app));
}

const KINDS: VehicleEventKind[] = ["listed", "priced", "updated", "removed"];

/** Publishes events i..i+n-1 (kinds in rotation), each with its own trace; returns the trace ids by registration. */
async function publish(from: number, count: number, traces = new Map<string, string>()) {
  const js = jetstream(nc);
  await Promise.all(
    Array.from({ length: count }, (_, k) => {
      const i = from + k;
      const kind = KINDS[i % KINDS.length]!;
      const registration = `A${String(i).padStart(6, "0")}`;
      const trace = newTraceparent();
      traces.set(registration, trace.traceId);
      const h = headers();
      h.set("traceparent", trace.traceparent);
      const body = { registration, manufacturerCode: "ford", manufacturerName: "Ford", modelCode: "ford-fiesta", modelName: "Fiesta", color: "Blue", year: 2015, listedAt: "2026-11-28T10:00:00.000Z" };
      return js.publish(vehicleSubject(kind, "ford", "ford-fiesta", "local"), encodeEvent("listed", body), { headers: h, msgID: `${kind}:${registration}` });
    }),
  );
  return traces;
}

function lines(): AuditLine[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as AuditLine);
}

/** Lines written so far, tolerating a torn last line while the writer is mid-append. */
function lineCount(): number {
  return existsSync(path) ? readFileSync(path, "utf8").split("\n").length - 1 : 0;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

test("every vehicle event is appended once, in stream order, with its sequence, subject and trace id", async () => {
  await startAuditLog();
  const traces = await publish(0, 40);
  await waitFor(() => lineCount() >= 40, { what: "40 audit lines" });
  const written = lines();
  expect(written.map((l) => l.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  for (const line of written) {
    expect(line.traceId).toBe(traces.get(line.registration!)!);
    expect(line.subject).toBe(vehicleSubject(line.kind as VehicleEventKind, "ford", "ford-fiesta", "local"));
    expect((line.event as { registration: string }).registration).toBe(line.registration!);
  }
  expect(new Set(written.map((l) => l.kind))).toEqual(new Set(KINDS));

  const client = new Svcm(nc).client();
  expect((await collect(await client.ping(SERVICES.auditLog))).map((p) => p.name)).toEqual([SERVICES.auditLog]);
  const [info] = await collect(await client.info(SERVICES.auditLog));
  expect(info!.endpoints.map((e) => e.name)).toEqual(["status"]);
  const [stats] = await collect(await client.stats(SERVICES.auditLog));
  expect(stats!.endpoints?.[0]?.data).toMatchObject({ recorded: 40, lastSequence: 40 });
});

test("killed with SIGKILL in the middle of a stream and restarted, the file has no gap and no duplicate", async () => {
  const total = 1_500;
  let app = await startAuditLog();
  let published = 0;
  const publisher = (async () => {
    while (published < total) {
      await publish(published, 50);
      published += 50;
      await Bun.sleep(15);
    }
  })();

  await waitFor(() => lineCount() >= 300, { timeoutMs: 20_000, what: "300 audit lines" });
  await app.kill("SIGKILL");
  app = await startAuditLog();
  await waitFor(() => lineCount() >= 700, { timeoutMs: 20_000, what: "700 audit lines" });
  await app.kill("SIGKILL");
  // As if the kill had landed mid-write: half a line at the end of the file.
  appendFileSync(path, '{"seq":99999,"subject":"forecourt.vehic');
  app = await startAuditLog();
  expect(app.logs.find((l) => l.msg === "audit file opened")?.tornBytes).toBeGreaterThan(0);

  await publisher;
  await waitFor(() => lineCount() >= total, { timeoutMs: 30_000, what: `${total} audit lines` });
  const seqs = lines().map((l) => l.seq);
  expect(seqs).toHaveLength(total);
  expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));
}, 90_000);

test("a file behind its consumer is caught up from the stream at start, in order, and the durable is never recreated", async () => {
  let app = await startAuditLog();
  await publish(0, 30);
  await waitFor(() => lineCount() >= 30, { what: "30 audit lines" });
  await app.kill("SIGTERM");
  const jsm = await jetstreamManager(nc);
  const before = await jsm.consumers.info(STREAMS.vehicles.name, "audit-log");
  expect(before.ack_floor.stream_seq).toBe(30);
  // The file is lost (a new disk, say): the consumer would go on from 31.
  rmSync(path);
  app = await startAuditLog();
  await publish(30, 10);
  await waitFor(() => lineCount() >= 40, { what: "40 audit lines" });
  expect(lines().map((l) => l.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  expect(app.logs.find((l) => l.msg === "caught up with the consumer")).toMatchObject({ after: 0, delivered: 30, events: 30 });
  expect((await jsm.consumers.info(STREAMS.vehicles.name, "audit-log")).created).toBe(before.created);
});

test("events a crashed instance took but never wrote are written at start, without waiting out the ack wait", async () => {
  let app = await startAuditLog();
  await publish(0, 5);
  await waitFor(() => lineCount() >= 5, { what: "5 audit lines" });
  await app.kill("SIGTERM");
  await publish(5, 10);
  // As a crashed instance would leave them: delivered by the durable, never written, never acked.
  const taken = await (await jetstream(nc).consumers.get(STREAMS.vehicles.name, "audit-log")).fetch({ max_messages: 10, expires: 2_000 });
  let count = 0;
  for await (const _ of taken) if (++count === 10) break;
  expect(count).toBe(10);

  const started = Date.now();
  app = await startAuditLog();
  await waitFor(() => lineCount() >= 15, { what: "15 audit lines", timeoutMs: 10_000 });
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(lines().map((l) => l.seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  expect(app.logs.find((l) => l.msg === "caught up with the consumer")).toMatchObject({ after: 5, delivered: 15, events: 10 });
}, 30_000);
