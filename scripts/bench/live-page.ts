/**
 * `bun scripts/bench/live-page.ts [carsPerSecond=1000] [seconds=10]`
 *
 * Starts a private nats-server and the web app, opens the live page in Chromium (Playwright), publishes a
 * listed and, PRICED_AFTER_MS later, a priced event per car into the VEHICLES stream at a fixed rate (open
 * loop: sends are due on a clock, never held back by the previous one) and measures inside the page:
 *
 * - frame received → row shown: from the WebSocket message event to the first moment after the paint that
 *   shows the car's row (listed frame) or its price (priced frame);
 * - publish → row shown, the same end on this machine's wall clock, so queueing anywhere counts;
 * - long tasks (PerformanceObserver "longtask", every task over 50 ms) and table rows inserted.
 *
 * The measuring code is injected before the page's own script and reads only the WebSocket and the table's
 * DOM, so it measures any version of the page alike (for before/after figures). The first second is warm-up.
 */
import { chromium, type Page } from "@playwright/test";
import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { encodeEvent, vehicleSubject } from "@forecourt/shared/contracts";
import { freePort, startApp, startNatsServer } from "@forecourt/shared/testing";
import { ascending, percentile } from "../report/percentiles.ts";

const [rate = 1000, seconds = 10] = process.argv.slice(2).map(Number);
if (!(rate > 0) || !(seconds > 0)) {
  console.error("usage: bun scripts/bench/live-page.ts [carsPerSecond=1000] [seconds=10]");
  process.exit(1);
}
const WARMUP_S = 1;
const PRICED_AFTER_MS = 5;
const total = Math.round(rate * (seconds + WARMUP_S));
const wallNow = () => performance.timeOrigin + performance.now();

/** The only NATS calls here, so moving to another client library changes one function. */
async function connectPublisher(url: string) {
  const nc = await connect({ servers: url });
  const js = jetstream(nc);
  return {
    publish: (subject: string, data: Uint8Array) => js.publish(subject, data).then(() => undefined),
    /** The web app's relay counters (`forecourt.web.stats`). */
    webStats: async () => JSON.parse(new TextDecoder().decode((await nc.request("forecourt.web.stats", undefined, { timeout: 2_000 })).data)) as Record<string, number>,
    close: () => nc.drain(),
  };
}

/** Runs in the page before its own script; must be self-contained (Playwright serialises it). */
function instrumentPage() {
  type Metrics = { received: Record<string, number>; shown: Record<string, number>; paints: number[]; longTasks: { start: number; duration: number }[]; rowsInserted: number; framesReceived: number; backlogFrames: number };
  const received = new Map<string, number>();
  const shown = new Map<string, number>();
  const paints: number[] = [];
  const longTasks: { start: number; duration: number }[] = [];
  const counts = { rowsInserted: 0, framesReceived: 0, backlogFrames: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: "longtask", buffered: true });

  // The first listener on every socket: it runs before the page's onmessage, so this is when the frame arrived.
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener("message", (event) => {
        const at = performance.now();
        counts.framesReceived++;
        const text = typeof event.data === "string" ? event.data : "";
        // A resumed socket's catch-up comes as backlog: the page shows it without toasts, and it is not live news.
        if (text.includes('"backlog":true')) return void counts.backlogFrames++;
        const kind = /"event":"(listed|priced)"/.exec(text)?.[1];
        const registration = /"registration":"([A-Z0-9]+)"/.exec(text)?.[1];
        if (kind && registration && !received.has(`${registration} ${kind}`)) received.set(`${registration} ${kind}`, at);
      });
    }
  };

  // "Shown" is the first task after the paint that includes a change. A change made inside an animation frame
  // is painted at the end of that frame, one made in an ordinary task at the end of the next frame.
  let inFrame = false;
  const nativeRaf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) =>
    nativeRaf((time) => {
      inFrame = true;
      try {
        callback(time);
      } finally {
        // Queued after the mutation observer's own microtask, so that callback still sees inFrame.
        queueMicrotask(() => (inFrame = false));
      }
    });
  const pending: string[] = [];
  let scheduled = false;
  const afterPaint = new MessageChannel();
  afterPaint.port1.onmessage = () => {
    const at = performance.now();
    scheduled = false;
    paints.push(at);
    for (const key of pending) if (!shown.has(key)) shown.set(key, at);
    pending.length = 0;
  };
  const note = (row: Element | null | undefined) => {
    if (!(row instanceof HTMLTableRowElement) || !row.dataset.registration) return;
    pending.push(`${row.dataset.registration} listed`);
    if (row.dataset.status === "priced" && row.querySelector(".price")?.textContent?.match(/\d/)) pending.push(`${row.dataset.registration} priced`);
  };
  const watch = () => {
    const tbody = document.querySelector("#vehicles tbody");
    if (!tbody) return;
    new MutationObserver((records) => {
      const rows = new Set<Element>();
      for (const record of records) {
        const target = record.target instanceof Element ? record.target : record.target.parentElement;
        const row = target?.closest("tr");
        if (row) rows.add(row);
        for (const node of record.addedNodes) {
          if (node instanceof HTMLTableRowElement) {
            counts.rowsInserted++;
            rows.add(node);
          }
        }
      }
      for (const row of rows) if (row.isConnected) note(row);
      if (pending.length && !scheduled) {
        scheduled = true;
        if (inFrame) afterPaint.port2.postMessage(null);
        else nativeRaf(() => afterPaint.port2.postMessage(null));
      }
    }).observe(tbody, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["data-status"] });
  };
  document.addEventListener("DOMContentLoaded", watch);
  // Progress is read every second during the run: counts only, so reading it costs the page nothing.
  (window as unknown as { __benchProgress: () => unknown }).__benchProgress = () => ({ received: received.size + counts.backlogFrames, shown: shown.size, longTasks: longTasks.length });
  (window as unknown as { __bench: () => Metrics }).__bench = () => ({
    received: Object.fromEntries(received),
    shown: Object.fromEntries(shown),
    paints,
    longTasks,
    ...counts,
  });
}

interface PageMetrics {
  received: Record<string, number>;
  shown: Record<string, number>;
  paints: number[];
  longTasks: { start: number; duration: number }[];
  rowsInserted: number;
  framesReceived: number;
  backlogFrames: number;
  timeOrigin: number;
  feedMetrics?: Record<string, number>;
}
const readProgress = (page: Page) =>
  page.evaluate(() => (window as unknown as { __benchProgress: () => { received: number; shown: number; longTasks: number } }).__benchProgress());
const readMetrics = (page: Page) =>
  page.evaluate(() => ({
    ...(window as unknown as { __bench: () => Omit<PageMetrics, "timeOrigin"> }).__bench(),
    timeOrigin: performance.timeOrigin,
    feedMetrics: (window as unknown as { __feedMetrics?: Record<string, number> }).__feedMetrics,
  }));

function registration(i: number): string {
  return `LP${String(i).padStart(6, "0")}`;
}

function carEvents(i: number) {
  const body = { registration: registration(i), manufacturerCode: "ford", manufacturerName: "Ford", modelCode: "ford-fiesta", modelName: "Fiesta", color: "Blue", year: 2015, listedAt: new Date().toISOString() };
  return {
    listed: encodeEvent("listed", body),
    priced: encodeEvent("priced", { ...body, price: 1_000 + ((i * 7_919) % 40_000), currencyCode: "GBP", pricedAt: new Date().toISOString(), pricedBy: "local" }),
  };
}

const ms = (v: number) => (Number.isNaN(v) ? "—" : `${v.toFixed(1)} ms`);
const spread = (values: number[]) => {
  const sorted = ascending(values);
  return `p50 ${ms(percentile(sorted, 0.5))} · p99 ${ms(percentile(sorted, 0.99))} · max ${ms(sorted.at(-1) ?? NaN)} (n=${sorted.length})`;
};

/** "task 610 ms (script 180, style 60, layout 120)": milliseconds per second between two CDP metric readings. */
function busyPerSecond(from: Record<string, number> | undefined, to: Record<string, number>): string {
  if (!from) return "—";
  const seconds = to.Timestamp! - from.Timestamp!;
  const per = (name: string) => Math.round(((to[name]! - from[name]!) / seconds) * 1000);
  return `task ${per("TaskDuration")} ms (script ${per("ScriptDuration")}, style ${per("RecalcStyleDuration")}, layout ${per("LayoutDuration")})`;
}

const nats = await startNatsServer();
const port = await freePort();
const web = await startApp("apps/web/src/main.ts", { NATS_URL: nats.url, WEB_PORT: String(port) }).catch(async (error) => {
  await nats.dispose();
  throw error;
});
const publisher = await connectPublisher(nats.url);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.addInitScript(instrumentPage);
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.getByText("Connected", { exact: true }).waitFor();
  // The renderer's own busy time (CDP Performance domain: cumulative seconds of tasks, script, style, layout).
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  const rendererTimes = async () => Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
  let timesAtStart: Record<string, number> | undefined;

  console.error(`publishing ${total} cars (listed, then priced ${PRICED_AFTER_MS} ms later) at ${rate}/s for ${WARMUP_S + seconds} s (first ${WARMUP_S} s warm-up)`);
  const publishedAt = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  let failures = 0;
  const send = (subject: string, data: Uint8Array) => {
    const sent = publisher.publish(subject, data).catch(() => void failures++);
    inFlight.add(sent);
    void sent.finally(() => inFlight.delete(sent));
  };
  const pending = new Map<number, Uint8Array>();
  const start = performance.now();
  let listed = 0;
  let priced = 0;
  let nextReport = 1_000;
  while (priced < total) {
    const elapsed = performance.now() - start;
    for (const due = Math.min(total, Math.floor((elapsed * rate) / 1000) + 1); listed < due; listed++) {
      const events = carEvents(listed);
      pending.set(listed, events.priced);
      publishedAt.set(`${registration(listed)} listed`, wallNow());
      send(vehicleSubject("listed", "ford", "ford-fiesta", "local"), events.listed);
    }
    for (const due = Math.min(listed, Math.floor(((elapsed - PRICED_AFTER_MS) * rate) / 1000) + 1); priced < due; priced++) {
      publishedAt.set(`${registration(priced)} priced`, wallNow());
      send(vehicleSubject("priced", "ford", "ford-fiesta", "local"), pending.get(priced)!);
      pending.delete(priced);
    }
    if (elapsed >= nextReport) {
      if (nextReport === WARMUP_S * 1_000) timesAtStart = await rendererTimes();
      nextReport += 1_000;
      const p = await readProgress(page);
      console.error(`  ${Math.round(elapsed / 1000)} s: published ${listed} cars, ${inFlight.size} publishes unacknowledged; page received ${p.received} events, showed ${p.shown} rows/prices, ${p.longTasks} long tasks`);
    }
    await Bun.sleep(1);
  }
  const publishSeconds = (performance.now() - start) / 1000;
  const timesAtEnd = await rendererTimes();
  await Promise.all(inFlight);
  const expected = 2 * total;
  // Wait for every event to reach the page, or for the page to stop making progress (a page that cannot keep up).
  let seen = -1;
  let stalledSince = performance.now();
  for (;;) {
    const now = (await readProgress(page)).received;
    if (now >= expected) break;
    if (now !== seen) [seen, stalledSince] = [now, performance.now()];
    else if (performance.now() - stalledSince > 5_000) {
      console.error(`  the page stopped at ${now} of ${expected} frames`);
      break;
    }
    await Bun.sleep(250);
  }
  await Bun.sleep(1_000);
  const m = await readMetrics(page);
  const stats = await publisher.webStats();

  const measuredFrom = (i: number) => i >= rate * WARMUP_S;
  const receivedToShown: Record<"listed" | "priced", number[]> = { listed: [], priced: [] };
  const publishToShown: number[] = [];
  const neverShown = { listed: 0, priced: 0 };
  for (let i = 0; i < total; i++) {
    if (!measuredFrom(i)) continue;
    for (const kind of ["listed", "priced"] as const) {
      const key = `${registration(i)} ${kind}`;
      const received = m.received[key];
      const shown = m.shown[key];
      if (received === undefined) continue;
      if (shown === undefined) {
        neverShown[kind]++;
        continue;
      }
      receivedToShown[kind].push(shown - received);
      publishToShown.push(m.timeOrigin + shown - publishedAt.get(key)!);
    }
  }
  // Every frame, shown or pushed out before a paint: the first table paint after it arrived.
  const sortedPaints = [...m.paints].sort((a, b) => a - b);
  const firstPaintAfter = (t: number) => {
    let lo = 0;
    let hi = sortedPaints.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sortedPaints[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return sortedPaints[lo];
  };
  const receivedToPaint: number[] = [];
  for (let i = 0; i < total; i++) {
    if (!measuredFrom(i)) continue;
    for (const kind of ["listed", "priced"] as const) {
      const received = m.received[`${registration(i)} ${kind}`];
      const paint = received === undefined ? undefined : firstPaintAfter(received);
      if (received !== undefined && paint !== undefined) receivedToPaint.push(paint - received);
    }
  }
  const firstMeasured = m.received[`${registration(rate * WARMUP_S)} listed`] ?? 0;
  const longTasks = m.longTasks.filter((t) => t.start >= firstMeasured);
  const paints = m.paints.filter((t) => t >= firstMeasured);
  const paintGaps = paints.slice(1).map((t, i) => t - paints[i]!);
  const rows: [string, string][] = [
    ["cars published", `${total - rate * WARMUP_S} measured (+${rate * WARMUP_S} warm-up) at ${rate}/s, listed + priced; publishing took ${publishSeconds.toFixed(1)} s, ${failures} failed`],
    ["frames the page received", `${m.framesReceived} of ${expected} events (+ welcome/subscribed), ${m.backlogFrames} of them as backlog after a reconnect`],
    ["web relay", `${stats.socketsOpened} socket(s) opened, ${stats.socketsDropped} dropped as too slow (4008), ${stats.messagesRelayed} frames relayed`],
    ["frame received → row shown (listed)", spread(receivedToShown.listed)],
    ["frame received → price shown (priced)", spread(receivedToShown.priced)],
    ["frame received → shown (both)", spread([...receivedToShown.listed, ...receivedToShown.priced])],
    ["publish → shown (wall clock, both)", spread(publishToShown)],
    ["frame received → next table paint (every frame, also those pushed out unseen)", spread(receivedToPaint)],
    ["frames never shown (row left the 50-row table before a paint)", `${neverShown.listed} listed, ${neverShown.priced} priced`],
    ["table paints, and the time between them", `${paints.length}; ${spread(paintGaps)}`],
    ["long tasks (> 50 ms)", longTasks.length ? `${longTasks.length}, longest ${ms(Math.max(...longTasks.map((t) => t.duration)))}, ${ms(longTasks.reduce((s, t) => s + t.duration, 0))} in all` : "none"],
    ["renderer main thread busy (CDP), per second of publishing", busyPerSecond(timesAtStart, timesAtEnd)],
    ["table rows inserted", `${m.rowsInserted} (${(m.rowsInserted / Math.max(1, total)).toFixed(1)} per car)`],
  ];
  if (m.feedMetrics) rows.push(["page's own counters (window.__feedMetrics)", JSON.stringify(m.feedMetrics)]);
  if (pageErrors.length) rows.push(["page errors", `${pageErrors.length}, first: ${pageErrors[0]}`]);
  console.log(`\nlive page at ${rate} cars/s for ${seconds} s, Chromium ${browser.version()}\n`);
  console.log("| measure | figure |\n|---|---|");
  for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
} finally {
  await browser.close();
  await publisher.close();
  await web.kill();
  await nats.dispose();
}
