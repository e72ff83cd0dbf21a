/**
 * Where a socket's feed starts in the VEHICLES stream. A fresh page gets the last `window` messages as
 * history; a reconnecting page resumes right after the last sequence it saw, unless that is older than the
 * window, in which case it gets the window and is told that some events are missing.
 */
import { vehicleFilter } from "@forecourt/shared/contracts";

export interface StartPlan {
  startSeq: number;
  truncated: boolean;
}

export interface StreamBounds {
  firstSeq: number;
  lastSeq: number;
}

export function planStart(after: number | null, { firstSeq, lastSeq }: StreamBounds, window: number): StartPlan {
  const windowStart = Math.max(1, firstSeq, lastSeq - window + 1);
  if (after === null) return { startSeq: windowStart, truncated: false };
  // A sequence beyond the stream's end means the stream was recreated: nothing to replay, carry on live.
  if (after >= lastSeq) return { startSeq: lastSeq + 1, truncated: false };
  if (after + 1 < windowStart) return { startSeq: windowStart, truncated: true };
  return { startSeq: after + 1, truncated: false };
}

/** What the stream holds, as far as a filter is concerned. */
export interface FeedScope {
  /** The stack's own participant: VEHICLES captures only its events by subject. */
  participant: string;
  /** VEHICLES sources other participants' events from another JetStream domain (the workshop hub). */
  sourcesOtherDomains: boolean;
}

/**
 * The subject filter the server applies: every vehicle event, one manufacturer's (forecourt.vehicles.*.<mfr>.>),
 * one participant's (forecourt.vehicles.*.*.*.<origin>), or both; null when nothing in the stream can match.
 *
 * nats-server 2.9 takes a consumer filter only if it lies within one of the stream's subjects or covers one, unless
 * the stream sources from another domain. VEHICLES captures forecourt.vehicles.*.*.*.<self>, which
 * forecourt.vehicles.*.ford.> neither lies within nor covers; so while VEHICLES sources nobody (not joined, or alone on
 * the hub) it holds only its own participant's events and a filter names that origin, and another participant's
 * filter matches nothing.
 */
export function feedSubject(manufacturer: string | null, participant: string | null, scope: FeedScope): string | null {
  if (manufacturer === null && participant === null) return vehicleFilter();
  if (scope.sourcesOtherDomains) return vehicleFilter({ manufacturer: manufacturer ?? undefined, origin: participant ?? undefined });
  if (participant !== null && participant !== scope.participant) return null;
  return vehicleFilter({ manufacturer: manufacturer ?? undefined, origin: scope.participant });
}
