/**
 * The lab's fixed programme: the link settings of each step and how long cars are listed under them. Every
 * participant's hub link gets the same settings in both directions, so a car listed at A crosses two shaped links on
 * its way to B (A's up, B's down). Pure: the runner reads it, the tests check its shape.
 */
import type { Outage, SettingsChange } from "@forecourt/link-shaper";

export interface LabStep {
  /** Short name for tables and charts. */
  name: string;
  /** What the link does, in words, for the report. */
  description: string;
  /** Applied to both directions of every participant's link for the whole step (latency, jitter, bandwidth). */
  shape: { latencyMs?: number; jitterMs?: number; bandwidthBps?: number };
  /** An outage during the listing, from `outageAtMs` for `outageMs`. */
  outage?: { kind: Exclude<Outage, "none">; atMs: number; forMs: number };
  /** How long cars are listed. */
  listingMs: number;
}

export interface Programme {
  steps: LabStep[];
  /** Cars listed per second at each participant. */
  ratePerSecond: number;
  /** After the listing: the longest wait for every event to reach every VEHICLES before counting what is missing. */
  settleTimeoutMs: number;
  /** After everything arrived: the wait for a late duplicate before counting copies. */
  duplicateWindowMs: number;
}

/** `bun run lab`: about 15 s of listing per step. */
export function fullProgramme(): Programme {
  return {
    ratePerSecond: 4,
    settleTimeoutMs: 90_000,
    duplicateWindowMs: 2_000,
    steps: buildSteps(15_000, 10_000),
  };
}

/** `bun run lab --quick`: every step, shorter (a 3 s outage instead of 10 s), for CI. */
export function quickProgramme(): Programme {
  return {
    ratePerSecond: 4,
    settleTimeoutMs: 45_000,
    duplicateWindowMs: 1_000,
    steps: buildSteps(4_000, 3_000),
  };
}

function buildSteps(listingMs: number, outageMs: number): LabStep[] {
  const seconds = `${outageMs / 1000} s`;
  const outageListing = Math.max(listingMs, outageMs + 2_000);
  return [
    { name: "unshaped", description: "no shaping", shape: {}, listingMs },
    { name: "50 ms", description: "50 ms one-way latency", shape: { latencyMs: 50 }, listingMs },
    { name: "200±50 ms", description: "200 ms one-way latency, ± 50 ms jitter", shape: { latencyMs: 200, jitterMs: 50 }, listingMs },
    { name: "1 Mbit/s", description: "bandwidth capped at 1 Mbit/s", shape: { bandwidthBps: 1_000_000 }, listingMs },
    { name: "64 kbit/s", description: "bandwidth capped at 64 kbit/s", shape: { bandwidthBps: 64_000 }, listingMs },
    { name: `${seconds} cut`, description: `link cut for ${seconds} (connections closed, reconnects refused)`, shape: {}, outage: { kind: "cut", atMs: 1_000, forMs: outageMs }, listingMs: outageListing },
    { name: `${seconds} hold`, description: `link held for ${seconds} (nothing forwarded, nothing dropped)`, shape: {}, outage: { kind: "hold", atMs: 1_000, forMs: outageMs }, listingMs: outageListing },
  ];
}

/** The shaper change for a step: its settings on both directions, everything else back to unshaped. */
export function stepSettings(step: LabStep): SettingsChange {
  const direction = { latencyMs: step.shape.latencyMs ?? 0, jitterMs: step.shape.jitterMs ?? 0, bandwidthBps: step.shape.bandwidthBps ?? 0 };
  return { up: direction, down: { ...direction }, outage: "none" };
}

/** Registrations are unique per run: L<step><participant letter><n>, within the 10 characters a registration takes. */
export function registrationFor(stepIndex: number, participant: string, n: number): string {
  return `L${stepIndex}${participant[0]!.toUpperCase()}${n}`;
}
