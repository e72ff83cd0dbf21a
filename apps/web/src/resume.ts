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

/**
 * The subject filter the server applies: every vehicle event, one manufacturer's (forecourt.vehicles.*.<mfr>.>),
 * one participant's (forecourt.vehicles.*.*.*.<origin>), or both.
 */
export function feedSubject(manufacturer: string | null, participant: string | null = null): string {
  return vehicleFilter({ manufacturer: manufacturer ?? undefined, origin: participant ?? undefined });
}
