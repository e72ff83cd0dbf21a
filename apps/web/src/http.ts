/** The web app's HTTP surface: the live page, its feed on /ws (origin-checked, capped), health, metrics; spans, RED metrics and security headers on all. */
import { Elysia } from "elysia";
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { STREAMS } from "@forecourt/shared/contracts";
import { isNatsReachable, problem, problemResponse, type Logger, type Readiness } from "@forecourt/shared/platform";
import { healthRoutes, httpTelemetry, metricsRoutes, securityHeaders, securityHeadersPlugin } from "@forecourt/shared/platform/http";
import type { PageAssets } from "./page-assets.ts";
import { FrameCache } from "./frame-cache.ts";
import { consumerLossWatch } from "./consumer-loss.ts";
import { LiveFanouts } from "./live-fanout.ts";
import type { HubLink } from "./hub-link.ts";
import { CLOSE_TRY_AGAIN, parseClientMessage, type ManufacturerOption } from "./protocol.ts";
import type { RelayStats } from "./relay-stats.ts";
import { isOriginAllowed, SocketLimits, socketOrigins } from "./socket-admission.ts";
import { SocketFeed } from "./socket-feed.ts";

export interface HttpDeps {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  log: Logger;
  assets: PageAssets;
  stats: RelayStats;
  manufacturers: () => ManufacturerOption[];
  apiPublicUrl: string;
  resumeWindow: number;
  socketBufferBytes: number;
  slowSocketMs: number;
  /** Vehicle frames a page may leave unacknowledged (default 2000). */
  maxUnacked?: number;
  /** What /health/ready reports, and whether NATS is connected; NATS reachability alone when absent. */
  readiness?: Readiness;
  /** Origins whose pages may open /ws: others are refused at upgrade with 403. */
  allowedOrigins: readonly string[];
  maxSocketsPerClient: number;
  maxSockets: number;
  /** The VEHICLES stream unless a test names its own. */
  stream?: string;
  /** Names this process in the welcome frame, so a page (or a test) can tell instances apart. */
  instance?: string;
  /** The workshop participant this stack is, told to each page. */
  participant: string;
  /** The stack's link to a workshop hub: in the welcome frame, and a `hub` frame to every page when it changes. */
  hubLink?: Pick<HubLink, "current" | "onChange">;
  /** A link shaper's control origin: told to each page (its link panel) and allowed in the page's connect-src. */
  linkControlUrl?: string | undefined;
}

/** Largest client frame: a subscribe is well under 200 bytes. Bigger frames close the socket (1009). */
const MAX_CLIENT_FRAME_BYTES = 4096;
const PREFETCH = 64;
const DEFAULT_MAX_UNACKED = 2_000;

export function createHttp(deps: HttpDeps) {
  const { assets, stats, log } = deps;
  const instance = deps.instance ?? crypto.randomUUID().slice(0, 8);
  const feeds = new Map<string, SocketFeed>();
  const frames = new FrameCache();
  const stream = deps.stream ?? STREAMS.vehicles.name;
  const watchLoss = consumerLossWatch(deps.nc);
  const fanouts = new LiveFanouts({ js: deps.js, stream, log, watchLoss });
  const page = (body: string, type: string) => () => new Response(body, { headers: { "content-type": type, "cache-control": "no-cache" } });
  const allowedOrigins = new Set(deps.allowedOrigins);
  const limits = new SocketLimits({ maxPerClient: deps.maxSocketsPerClient, maxTotal: deps.maxSockets });
  /** The client address each admitted socket counts against, by socket id. */
  const admitted = new Map<string, string>();
  // The page loads its own script and stylesheet and opens its feed on an origin /ws accepts; nothing else.
  const pageHeaders = securityHeaders({
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "connect-src": ["'self'", ...socketOrigins(deps.allowedOrigins), ...(deps.linkControlUrl ? [deps.linkControlUrl] : [])],
  });
  const otherHeaders = securityHeaders();
  const sockets = new Map<string, { close(code: number, reason: string): void }>();
  // A feed without NATS cannot continue: pages reconnect with their backoff and resume from their last sequence.
  void (async () => {
    for await (const status of deps.nc.status()) {
      if (status.type !== "disconnect") continue;
      if (sockets.size) log.warn("nats lost; closing sockets", { sockets: sockets.size });
      for (const [id, socket] of sockets) {
        feeds.get(id)?.close();
        try {
          socket.close(CLOSE_TRY_AGAIN, "feed lost NATS: reconnect and resume");
        } catch (error) {
          log.warn("socket close failed", { error });
        }
      }
    }
  })();
  deps.hubLink?.onChange((hub) => {
    for (const feed of feeds.values()) feed.sendMessage({ type: "hub", hub });
  });

  return new Elysia({
    websocket: {
      backpressureLimit: deps.socketBufferBytes,
      closeOnBackpressureLimit: false,
      maxPayloadLength: MAX_CLIENT_FRAME_BYTES,
      idleTimeout: 60,
    },
  })
    .use(httpTelemetry())
    .use(securityHeadersPlugin((path) => (path === "/" ? pageHeaders : otherHeaders)))
    .use(healthRoutes("web", deps.readiness ?? { nats: () => isNatsReachable(deps.nc) }))
    .use(metricsRoutes())
    .get("/", page(assets.html, "text/html; charset=utf-8"))
    .get("/app.js", page(assets.js, "text/javascript; charset=utf-8"))
    .get("/styles.css", page(assets.css, "text/css; charset=utf-8"))
    .ws("/ws", {
      beforeHandle({ request }) {
        const origin = request.headers.get("origin");
        if (isOriginAllowed(origin, allowedOrigins)) return;
        stats.socketsRefused++;
        log.warn("socket refused", { origin, reason: "origin not allowed" });
        return problemResponse(problem(403, `pages from ${origin} may not open this feed; WEB_ALLOWED_ORIGINS lists the origins that may`, { instance: "/ws" }));
      },
      open(ws) {
        const client = ws.raw.remoteAddress;
        const admission = limits.admit(client);
        if (!admission.ok) {
          stats.socketsRefused++;
          log.warn("socket refused", { client, reason: admission.reason });
          ws.raw.close(admission.code, admission.reason);
          return;
        }
        if (deps.readiness && !deps.readiness.connected) {
          limits.release(client);
          stats.socketsRefused++;
          ws.raw.close(CLOSE_TRY_AGAIN, "feed has no NATS connection: try again later");
          return;
        }
        admitted.set(ws.id, client);
        sockets.set(ws.id, ws.raw);
        const feed = new SocketFeed(
          { send: (text) => ws.raw.send(text), close: (code, reason) => ws.raw.close(code, reason) },
          {
            js: deps.js,
            jsm: deps.jsm,
            stream,
            participant: deps.participant,
            resumeWindow: deps.resumeWindow,
            slowSocketMs: deps.slowSocketMs,
            prefetch: PREFETCH,
            maxUnacked: deps.maxUnacked ?? DEFAULT_MAX_UNACKED,
            stats,
            log,
            frames,
            fanouts,
            watchLoss,
          },
        );
        feeds.set(ws.id, feed);
        stats.socketsOpen++;
        stats.socketsOpened++;
        feed.sendMessage({
          type: "welcome",
          instance,
          apiBaseUrl: deps.apiPublicUrl,
          resumeWindow: deps.resumeWindow,
          manufacturers: deps.manufacturers(),
          participant: deps.participant,
          hub: deps.hubLink?.current() ?? "not-joined",
          ...(deps.linkControlUrl ? { linkControlUrl: deps.linkControlUrl } : {}),
        });
      },
      message(ws, frame) {
        const feed = feeds.get(ws.id);
        if (!feed) return;
        const parsed = parseClientMessage(frame);
        if (!parsed.ok) {
          stats.invalidClientMessages++;
          feed.sendMessage({ type: "error", code: "invalid-message", message: parsed.error });
          return;
        }
        if (parsed.message.type === "ping") {
          feed.sendMessage({ type: "pong" });
          return;
        }
        if (parsed.message.type === "ack") {
          feed.acked(parsed.message.seq);
          return;
        }
        const { manufacturer, after } = parsed.message;
        const participant = parsed.message.participant ?? null;
        feed.subscribe(manufacturer, participant, after).catch((error) => {
          log.warn("subscribe failed", { manufacturer, participant, after, error });
          feed.sendMessage({ type: "error", code: "unavailable", message: "the event stream is unavailable; reconnect and resume" });
          // The page reconnects with backoff and resumes after its last sequence; an open socket would wait forever.
          ws.raw.close(CLOSE_TRY_AGAIN, "feed unavailable: reconnect and resume");
        });
      },
      drain(ws) {
        feeds.get(ws.id)?.drained();
      },
      close(ws) {
        const client = admitted.get(ws.id);
        if (client === undefined) return;
        admitted.delete(ws.id);
        sockets.delete(ws.id);
        limits.release(client);
        const feed = feeds.get(ws.id);
        if (!feed) return;
        feeds.delete(ws.id);
        feed.close();
        stats.socketsOpen--;
      },
    });
}
