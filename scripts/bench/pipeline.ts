/**
 * The end-to-end figure: cars POSTed to the API at a fixed rate (open loop: the bench's own small generator,
 * as no kept tool both posts at a fixed rate and watches a WebSocket), each followed until its `priced`
 * frame arrives on a live socket of the web app. Latency runs from when the POST was due, so a backlog
 * counts in full. CPU per car per process comes from /proc before the first POST and after the stack has
 * gone quiet again (priced, recorded by the API, audited).
 */
import { createFeedAcks } from "./feed-acks.ts";
import { cpuDelta, cpuSnapshot, procStat } from "./proc-stats.ts";
import { dueAt, dueCount, summarise, type LatencySummary } from "./latency.ts";

export interface PipelineOptions {
  apiUrl: string;
  webUrl: string;
  /** The dealer the cars are listed as (`authorization: Bearer …`). */
  dealerKey: string;
  rate: number;
  seconds: number;
  /** Registrations are `<prefix><number>`: unique per stage of a run. */
  prefix: string;
  pids: Record<string, number>;
  models: readonly string[];
  colours: readonly string[];
  /** How long to wait for the last priced frame after the last POST. */
  drainTimeoutMs: number;
  progress?: (line: string) => void;
}

export interface PipelineResult {
  rate: number;
  seconds: number;
  sent: number;
  /** POSTs answered 201. */
  created: number;
  postErrors: number;
  priced: number;
  /** Priced frames for a car already seen priced (should be 0: one priced event per car). */
  duplicates: number;
  /** POST due → priced frame received, ms. */
  latency: LatencySummary;
  /** POST due → 201 received, ms. */
  postLatency: LatencySummary;
  /** Cars priced per second, first POST due to last priced frame. */
  keptUp: number;
  /** How late the generator sent its latest POST: it should stay near 0. */
  sendLagMaxMs: number;
  /** CPU ms per created car, per process (including "bench client", this process). */
  cpuMsPerCar: Record<string, number>;
}

const MAX_IN_FLIGHT = 4_096;

/** A process of the stack that has exited (a crash, or `bun run dev` stopping everything) ends the run with its name. */
function assertRunning(pids: Record<string, number>): void {
  const gone = Object.entries(pids).filter(([, pid]) => !procStat(pid));
  if (gone.length) throw new Error(`${gone.map(([name]) => name).join(", ")} stopped during the run; see the dev log in the run's folder`);
}

async function openFeed(webUrl: string, onPriced: (registration: string, at: number) => void): Promise<WebSocket> {
  const ws = new WebSocket(`${webUrl.replace(/^http/, "ws")}/ws`);
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => ws.send(JSON.stringify({ type: "subscribe", manufacturer: null, after: null }));
    ws.onerror = () => reject(new Error(`WebSocket to ${webUrl}/ws failed`));
    const acknowledge = createFeedAcks((message) => ws.send(message));
    ws.onmessage = (event) => {
      const text = String(event.data);
      if (text.startsWith('{"type":"subscribed"')) resolve();
      if (text.startsWith('{"type":"vehicle"')) acknowledge(text);
      // Only priced frames matter; skip parsing the rest.
      if (!text.includes('"event":"priced"')) return;
      const at = performance.now();
      const frame = JSON.parse(text) as { backlog: boolean; vehicle: { registration: string } };
      if (!frame.backlog) onPriced(frame.vehicle.registration, at);
    };
  });
  return ws;
}

/** Resolves once no process used more than `quietShare` of a core over `windowMs`, or after `timeoutMs`. */
export async function settle(pids: Record<string, number>, { windowMs = 500, quietShare = 0.05, timeoutMs = 20_000 } = {}): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const before = cpuSnapshot(pids);
    await Bun.sleep(windowMs);
    const used = cpuDelta(before, cpuSnapshot(pids));
    if (Object.values(used).every((seconds) => seconds / (windowMs / 1000) <= quietShare)) return;
  }
}

export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const { rate, seconds, prefix } = options;
  const total = Math.max(1, Math.round(rate * seconds));
  const dueTimes = new Map<string, number>();
  const pricedSeen = new Set<string>();
  const latencies: number[] = [];
  const postLatencies: number[] = [];
  let duplicates = 0;
  let lastPricedAt = 0;
  const ws = await openFeed(options.webUrl, (registration, at) => {
    if (!registration.startsWith(prefix)) return;
    if (pricedSeen.has(registration)) {
      duplicates++;
      return;
    }
    const due = dueTimes.get(registration);
    if (due === undefined) return;
    pricedSeen.add(registration);
    latencies.push(at - due);
    lastPricedAt = at;
  });
  const pids = { ...options.pids, "bench client": process.pid };
  await settle(pids);
  const cpuBefore = cpuSnapshot(pids);

  let created = 0;
  let postErrors = 0;
  let inFlight = 0;
  let sendLagMaxMs = 0;
  const url = `${options.apiUrl}/api/vehicles`;
  const headers = { "content-type": "application/json", authorization: `Bearer ${options.dealerKey}` };
  const started = performance.now();
  const post = (i: number) => {
    const registration = `${prefix}${i}`;
    const due = started + dueAt(i, rate);
    dueTimes.set(registration, due);
    sendLagMaxMs = Math.max(sendLagMaxMs, performance.now() - due);
    const body = JSON.stringify({ registration, modelCode: options.models[i % options.models.length], color: options.colours[i % options.colours.length], year: 2005 + (i % 20) });
    inFlight++;
    fetch(url, { method: "POST", headers, body })
      .then(async (res) => {
        await res.arrayBuffer();
        if (res.status === 201) {
          created++;
          postLatencies.push(performance.now() - due);
        } else postErrors++;
      })
      .catch(() => postErrors++)
      .finally(() => inFlight--);
  };
  let sent = 0;
  let lastReport = started;
  while (sent < total) {
    const due = dueCount(performance.now() - started, rate, total);
    while (sent < due && inFlight < MAX_IN_FLIGHT) post(sent++);
    if (performance.now() - lastReport >= 5_000) {
      lastReport = performance.now();
      assertRunning(options.pids);
      options.progress?.(`  ${rate} cars/s: ${sent}/${total} sent, ${pricedSeen.size} priced, ${inFlight} POSTs in flight`);
    }
    await Bun.sleep(1);
  }
  const drainDeadline = performance.now() + options.drainTimeoutMs;
  while ((inFlight > 0 || pricedSeen.size < created) && performance.now() < drainDeadline) {
    if (performance.now() - lastReport >= 5_000) {
      lastReport = performance.now();
      assertRunning(options.pids);
      options.progress?.(`  ${rate} cars/s: all ${total} sent, ${pricedSeen.size}/${created} priced (draining)`);
    }
    await Bun.sleep(20);
  }
  await settle(pids);
  const used = cpuDelta(cpuBefore, cpuSnapshot(pids));
  ws.close();
  const cars = Math.max(1, created);
  return {
    rate,
    seconds,
    sent,
    created,
    postErrors,
    priced: pricedSeen.size,
    duplicates,
    latency: summarise(latencies),
    postLatency: summarise(postLatencies),
    keptUp: lastPricedAt > started ? pricedSeen.size / ((lastPricedAt - started) / 1000) : 0,
    sendLagMaxMs,
    cpuMsPerCar: Object.fromEntries(Object.entries(used).map(([name, s]) => [name, (s * 1000) / cars])),
  };
}
