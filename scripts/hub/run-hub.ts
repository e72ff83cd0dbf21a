/**
 * The running hub: its nats-server (config rendered from the roster), the admin connection that keeps one P_<name>
 * stream per participant, a loop that notices roster changes (rewrite config, reload, create streams) and samples
 * the monitoring endpoints, and the status page. `bun run hub` runs it; tests and the lab start it in-process.
 */
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Subprocess } from "bun";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { type Logger } from "@forecourt/shared/platform";
import { securityHeaders } from "@forecourt/shared/platform/http";
import { waitFor } from "@forecourt/shared/testing";
import { ADMIN_USER, renderHubConfig } from "./hub-config.ts";
import { ensureParticipantStream } from "./hub-streams.ts";
import { hubPaths, loadRoster, type Roster } from "./roster.ts";
import type { HubSettings } from "./settings.ts";
import { hubStatusRows, RateMeter, renderStatusPage, STATUS_CSS, type HubStatus, type JszView, type LeafzView } from "./status.ts";

export interface HubOptions extends HubSettings {
  log: Logger;
  /** Each line nats-server writes (default: dropped). */
  onServerOutput?: (line: string) => void;
  /** How often the roster is checked and the monitoring sampled. */
  tickMs?: number;
}

export interface RunningHub {
  /** How the admin connects (loopback only): for tools on the hub machine, never for participants. */
  admin: { servers: string; user: string; pass: string };
  monitorUrl: string;
  statusUrl: string;
  status(): HubStatus;
  /** SIGKILL the hub's nats-server (an outage), and start it again on the same store. */
  killServer(): Promise<void>;
  startServer(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHub(options: HubOptions): Promise<RunningHub> {
  const { log } = options;
  const dataDir = resolve(options.dataDir);
  const paths = hubPaths(dataDir);
  mkdirSync(paths.store, { recursive: true, mode: 0o700 });
  let roster: Roster = loadRoster(dataDir);
  let rosterStamp = stamp(paths.roster);
  const monitorUrl = `http://127.0.0.1:${options.monitorPort}`;
  const leafAddress = `${options.publicHost}:${options.leafPort}`;

  const writeConfig = () => {
    const text = renderHubConfig({ host: options.host, leafPort: options.leafPort, clientPort: options.natsPort, monitorPort: options.monitorPort, storeDir: paths.store, adminPassword: roster.adminPassword, participants: roster.participants });
    writeFileSync(paths.config, text, { mode: 0o600 });
  };

  let server: Subprocess<"ignore", "pipe", "pipe"> | undefined;
  const startServer = async () => {
    writeConfig();
    const proc = Bun.spawn(["nats-server", "-c", paths.config], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    server = proc;
    for (const stream of [proc.stdout, proc.stderr]) void forwardLines(stream, options.onServerOutput);
    await waitFor(async () => {
      if (proc.exitCode !== null) throw new Error(`the hub's nats-server exited with code ${proc.exitCode}; see its output above`);
      return (await fetch(`${monitorUrl}/healthz`).catch(() => undefined))?.ok;
    }, { timeoutMs: 15_000, intervalMs: 100, what: "the hub's nats-server to be healthy" });
  };
  await startServer();

  const nc: NatsConnection = await connect({ servers: `127.0.0.1:${options.natsPort}`, user: ADMIN_USER, pass: roster.adminPassword, name: "forecourt-hub", maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  const jsm = await jetstreamManager(nc);
  // Checked every tick, so a hub stream that disappears (deleted by a leaf the 2.9 hub does not police) comes back:
  // it sources its participant's VEHICLES from the start again, so it holds the same events at the same sequences.
  const ensureStreams = async () => {
    for (const { name } of roster.participants) {
      try {
        if (await ensureParticipantStream(jsm, name)) log.info("participant stream created", { participant: name });
      } catch (error) {
        log.warn("participant stream not created yet", { participant: name, error });
      }
    }
  };
  await ensureStreams();

  const meter = new RateMeter();
  let latest: HubStatus = { at: new Date().toISOString(), leafAddress, participants: [] };
  const sample = async () => {
    try {
      const [leafz, jsz] = await Promise.all([
        fetchJson<LeafzView>(`${monitorUrl}/leafz?subs=1`),
        fetchJson<JszView>(`${monitorUrl}/jsz?accounts=true&streams=true`),
      ]);
      const now = Date.now();
      latest = { at: new Date(now).toISOString(), leafAddress, participants: hubStatusRows(roster.participants.map((p) => p.name), leafz, jsz, meter, now) };
    } catch {
      // The server is down (an outage): show every link down rather than stale numbers.
      latest = { ...latest, at: new Date().toISOString(), participants: latest.participants.map((p) => ({ ...p, link: "down", address: undefined, rtt: undefined, eventsPerSecond: 0 })) };
    }
  };

  let ticking = false;
  const tick = async () => {
    if (ticking) return;
    ticking = true;
    try {
      const now = stamp(paths.roster);
      if (now !== rosterStamp) {
        rosterStamp = now;
        roster = loadRoster(dataDir);
        writeConfig();
        server?.kill("SIGHUP");
        log.info("roster changed: config reloaded", { participants: roster.participants.map((p) => p.name) });
      }
      await ensureStreams();
      await sample();
    } catch (error) {
      log.warn("hub tick failed", { error });
    } finally {
      ticking = false;
    }
  };
  await sample();
  const timer = setInterval(() => void tick(), options.tickMs ?? 1_000);

  const pageHeaders = securityHeaders({ "style-src": ["'self'"] });
  const otherHeaders = securityHeaders();
  const http = Bun.serve({
    hostname: options.host,
    port: options.port,
    fetch(request) {
      const { pathname } = new URL(request.url);
      if (request.method !== "GET") return new Response("method not allowed\n", { status: 405, headers: otherHeaders });
      if (pathname === "/") return new Response(renderStatusPage(latest), { headers: { ...pageHeaders, "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" } });
      if (pathname === "/hub.css") return new Response(STATUS_CSS, { headers: { ...otherHeaders, "content-type": "text/css; charset=utf-8" } });
      if (pathname === "/status.json") return Response.json(latest, { headers: otherHeaders });
      return new Response("not found\n", { status: 404, headers: otherHeaders });
    },
  });

  return {
    admin: { servers: `127.0.0.1:${options.natsPort}`, user: ADMIN_USER, pass: roster.adminPassword },
    monitorUrl,
    statusUrl: `http://${options.host === "0.0.0.0" ? "127.0.0.1" : options.host}:${http.port}`,
    status: () => latest,
    async killServer() {
      server?.kill("SIGKILL");
      await server?.exited;
      server = undefined;
    },
    startServer,
    async stop() {
      clearInterval(timer);
      http.stop(true);
      await nc.close();
      const proc = server;
      server = undefined;
      proc?.kill("SIGTERM");
      await proc?.exited;
    },
  };
}

function stamp(path: string): string {
  try {
    const s = statSync(path);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return "missing";
  }
}

async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}

async function forwardLines(stream: ReadableStream<Uint8Array>, onLine: ((line: string) => void) | undefined): Promise<void> {
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const chunk of stream) {
    buffered += decoder.decode(chunk, { stream: true });
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) onLine?.(line);
  }
}
