/**
 * Pending bytes while a step runs, sampled from the servers' monitoring endpoints and the shapers: the hub's and each
 * leaf's client connections (/connz pending_bytes), what waits in each shaped link (the shaper's queue; nats-server
 * 2.9's /leafz reports no pending bytes for a leaf connection), and how many messages each VEHICLES still has to
 * source (/jsz source lag). The maximum of each over the step is kept.
 */
import type { Lab } from "./lab-stack.ts";

export interface PendingPeak {
  hubBytes: number;
  /** Per participant: the largest /connz pending_bytes sum seen. */
  leafBytes: Record<string, number>;
  /** Per participant: the largest number of bytes queued in its shaper (both directions). */
  linkQueuedBytes: Record<string, number>;
  /** Largest source lag (messages) on any VEHICLES. */
  sourceLag: number;
}

interface Connz {
  connections?: { pending_bytes?: number }[];
}

interface Jsz {
  account_details?: { stream_detail?: { name: string; sources?: { lag?: number }[] }[] }[];
}

async function json<T>(url: string): Promise<T | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return response.ok ? ((await response.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

const pendingOf = (connz: Connz | undefined) => (connz?.connections ?? []).reduce((sum, c) => sum + (c.pending_bytes ?? 0), 0);

export function startPendingMonitor(lab: Lab, intervalMs = 500): { stop(): Promise<PendingPeak> } {
  const peak: PendingPeak = { hubBytes: 0, leafBytes: {}, linkQueuedBytes: {}, sourceLag: 0 };
  for (const p of lab.participants) {
    peak.leafBytes[p.name] = 0;
    peak.linkQueuedBytes[p.name] = 0;
  }
  const sample = async () => {
    peak.hubBytes = Math.max(peak.hubBytes, pendingOf(await json<Connz>(`${lab.hub.monitorUrl}/connz`)));
    await Promise.all(
      lab.participants.map(async (p) => {
        peak.leafBytes[p.name] = Math.max(peak.leafBytes[p.name]!, pendingOf(await json<Connz>(`${p.stack.monitorUrl}/connz`)));
        const link = await lab.linkStatus(p.name).catch(() => undefined);
        if (link) peak.linkQueuedBytes[p.name] = Math.max(peak.linkQueuedBytes[p.name]!, link.up.queuedBytes + link.down.queuedBytes);
        const jsz = await json<Jsz>(`${p.stack.monitorUrl}/jsz?accounts=true&streams=true`);
        for (const stream of jsz?.account_details?.flatMap((a) => a.stream_detail ?? []) ?? []) {
          for (const source of stream.sources ?? []) peak.sourceLag = Math.max(peak.sourceLag, source.lag ?? 0);
        }
      }),
    );
  };
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await sample();
      await Bun.sleep(Math.max(0, intervalMs - (performance.now() - started)));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peak;
    },
  };
}
