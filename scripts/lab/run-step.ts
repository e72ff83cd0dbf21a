/**
 * One step of the programme: shape every link, list cars at every participant at a steady rate (with the step's
 * outage in the middle), then wait for every event to reach every VEHICLES and count what crossed, how fast, what
 * was lost and what was duplicated.
 */
import type { Lab } from "./lab-stack.ts";
import { countStep, crossingRate, summarise, type LatencySummary } from "./measures.ts";
import { startPendingMonitor, type PendingPeak } from "./monitor.ts";
import { PRICE_STYLES, type PriceProbe, type PriceStyle } from "./price-probe.ts";
import { registrationFor, stepSettings, type LabStep, type Programme } from "./programme.ts";

export interface StepResult {
  name: string;
  description: string;
  /** Cars listed (201) over all participants, and listings refused. */
  listed: number;
  refused: number;
  /** Listed frames of another participant's car seen on a live socket, of those expected. */
  delivered: number;
  expectedDeliveries: number;
  latency: LatencySummary;
  crossedPerSecond: number;
  lost: number;
  duplicated: number;
  /** Up to ten of the events still missing somewhere at the end ("listed.carol.L4C3"). */
  missing: string[];
  /** Cars whose own participant had not priced them by the end (nothing published, so nothing lost). */
  unpriced: string[];
  /** Messages dead-lettered during the step, over all participants. */
  deadLettered: number;
  /** Time from the end of listing until every event was in every VEHICLES (or the settle timeout). */
  settledMs: number;
  pending: PendingPeak;
  pricing: Record<PriceStyle, LatencySummary & { failures: number }>;
}

export interface StepProgress {
  listed: number;
  toList: number;
  delivered: number;
  toDeliver: number;
  phase: "listing" | "outage" | "settling";
}

export async function runStep(lab: Lab, step: LabStep, index: number, programme: Programme, probe: PriceProbe | undefined, progress: (p: StepProgress) => void): Promise<StepResult> {
  const names = lab.participants.map((p) => p.name);
  const settings = stepSettings(step);
  await lab.shapeAll(settings);
  probe?.shape(settings);
  await Bun.sleep(500);

  const perParticipant = Math.round((step.listingMs / 1000) * programme.ratePerSecond);
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let delivered = 0;
  let lastDeliveredAt = 0;
  let listed = 0;
  let refused = 0;
  let phase: StepProgress["phase"] = "listing";
  const tell = () => progress({ listed, toList: perParticipant * names.length, delivered, toDeliver: perParticipant * names.length * (names.length - 1), phase });
  const prefix = `L${index}`;
  lab.onDelivery((d) => {
    if (!d.registration.startsWith(prefix)) return;
    const sent = sentAt.get(d.registration);
    if (sent === undefined) return;
    latencies.push(d.at - sent);
    delivered++;
    lastDeliveredAt = Math.max(lastDeliveredAt, d.at);
  });

  const deadLetters = async () => (await Promise.all(names.map((name) => lab.deadLetters(name)))).reduce((a, b) => a + b, 0);
  const deadBefore = await deadLetters();
  const monitor = startPendingMonitor(lab);
  const pricing = probe?.run(250);
  const started = performance.now();
  const registrations: string[] = [];
  const listing = names.map(async (name) => {
    const posts: Promise<void>[] = [];
    for (let n = 0; n < perParticipant; n++) {
      await Bun.sleep(Math.max(0, started + (n * 1000) / programme.ratePerSecond - performance.now()));
      const registration = registrationFor(index, name, n);
      sentAt.set(registration, performance.now());
      posts.push(
        lab.list(name, registration).then(
          (status) => {
            if (status === 201) {
              listed++;
              registrations.push(`${name}:${registration}`);
            } else refused++;
          },
          () => void refused++,
        ),
      );
    }
    await Promise.all(posts);
  });
  const ticker = setInterval(tell, 250);
  if (step.outage) {
    const outage = step.outage;
    await Bun.sleep(outage.atMs);
    await lab.outageAll(outage.kind);
    probe?.shape({ outage: outage.kind });
    phase = "outage";
    await Bun.sleep(outage.forMs);
    await lab.outageAll("none");
    probe?.shape({ outage: "none" });
    phase = "listing";
  }
  await Promise.all(listing);
  const listedAt = performance.now();
  phase = "settling";

  const cars = registrations.map((entry) => entry.split(":") as [string, string]);
  const count = async () => countStep(cars, Object.fromEntries(await Promise.all(names.map(async (name) => [name, await lab.vehicleKeys(name)] as const))));
  let counted = await count();
  while ((counted.lost > 0 || counted.unpriced.length > 0) && performance.now() - listedAt < programme.settleTimeoutMs) {
    await Bun.sleep(500);
    counted = await count();
  }
  const settledMs = performance.now() - listedAt;
  // Every event is in; wait a little longer for the sockets and for any late duplicate, then count again.
  const deadline = performance.now() + programme.settleTimeoutMs;
  while (delivered < registrations.length * (names.length - 1) && performance.now() < deadline && counted.lost === 0) await Bun.sleep(250);
  await Bun.sleep(programme.duplicateWindowMs);
  counted = await count();
  clearInterval(ticker);
  tell();
  const samples = await pricing?.stop();
  const pending = await monitor.stop();
  return {
    name: step.name,
    description: step.description,
    listed,
    refused,
    delivered,
    expectedDeliveries: registrations.length * (names.length - 1),
    latency: summarise(latencies),
    crossedPerSecond: crossingRate(delivered, started, lastDeliveredAt),
    lost: counted.lost,
    duplicated: counted.duplicated,
    missing: counted.missing.slice(0, 10),
    unpriced: counted.unpriced,
    deadLettered: (await deadLetters()) - deadBefore,
    settledMs,
    pending,
    pricing: Object.fromEntries(
      PRICE_STYLES.map((style) => [style, { ...summarise(samples?.latencies[style] ?? []), failures: samples?.failures[style] ?? 0 }]),
    ) as StepResult["pricing"],
  };
}
