/**
 * Whether this stack is linked to a workshop hub, read from its own nats-server's monitoring endpoint (NATS_MONITOR_URL):
 * /varz lists the leaf-node remotes the server is configured with (none: not joined), /leafz the leaf links up now.
 * Polled, and each change reported, so the page can show "hub: disconnected" while the local stack keeps working.
 */
import type { Logger } from "@forecourt/shared/platform";
import type { HubStatus } from "./protocol.ts";

export interface MonitorViews {
  varz: { leaf?: { remotes?: unknown[] } };
  leafz: { leafnodes?: number };
}

export function hubStatusFrom({ varz, leafz }: MonitorViews): HubStatus {
  if (!varz.leaf?.remotes?.length) return "not-joined";
  return (leafz.leafnodes ?? 0) > 0 ? "connected" : "disconnected";
}

export interface HubLink {
  current(): HubStatus;
  /** Calls the listener with each new status. */
  onChange(listener: (status: HubStatus) => void): void;
  stop(): void;
}

const TIMEOUT_MS = 1_000;

async function readViews(monitorUrl: string): Promise<MonitorViews> {
  const get = async (path: string) => (await fetch(`${monitorUrl}${path}`, { signal: AbortSignal.timeout(TIMEOUT_MS) })).json();
  const [varz, leafz] = await Promise.all([get("/varz"), get("/leafz")]);
  return { varz, leafz } as MonitorViews;
}

/** The link's state now, from the server's monitoring endpoint (throws when it cannot be read). */
export async function readHubStatus(monitorUrl: string): Promise<HubStatus> {
  return hubStatusFrom(await readViews(monitorUrl));
}

/** Without a monitoring URL the stack cannot tell, and is taken as not joined. */
export async function watchHubLink(options: { monitorUrl: string | undefined; intervalMs: number; log: Logger }): Promise<HubLink> {
  const { monitorUrl, log } = options;
  let status: HubStatus = "not-joined";
  const listeners: ((status: HubStatus) => void)[] = [];
  const onChange = (listener: (status: HubStatus) => void) => void listeners.push(listener);
  if (!monitorUrl) return { current: () => status, onChange, stop: () => {} };
  const poll = async () => {
    let next: HubStatus;
    try {
      next = await readHubStatus(monitorUrl);
    } catch (error) {
      // Monitoring unreachable: keep the last answer rather than guess; NATS health is reported elsewhere.
      log.debug("hub link unknown", { monitorUrl, error });
      return;
    }
    if (next === status) return;
    status = next;
    log.info("hub link", { hub: status });
    for (const listener of listeners) listener(status);
  };
  await poll();
  const timer = setInterval(() => void poll(), options.intervalMs);
  return { current: () => status, onChange, stop: () => clearInterval(timer) };
}
