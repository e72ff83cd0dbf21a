/**
 * The same routes on two listeners: HTTP/2 cleartext for gRPC (which needs trailers, so node:http2, not
 * Bun.serve), Connect and gRPC-Web; HTTP/1.1 with CORS for browsers and curl (Connect and gRPC-Web),
 * which also answers /health/live and /health/ready.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttp2Server, type Http2Session } from "node:http2";
import type { AddressInfo } from "node:net";
import { cors, type ConnectRouter, type ConnectRouterOptions } from "@connectrpc/connect";
import { connectNodeAdapter, type ConnectNodeAdapterOptions } from "@connectrpc/connect-node";
import { TRACEPARENT_HEADER } from "@forecourt/shared/platform";

/** What answers requests no RPC route matches (the health routes), fetch-style. */
export type FallbackHandler = (request: Request) => Response | Promise<Response>;

export interface ServersOptions extends ConnectRouterOptions {
  host: string;
  port: number;
  httpPort: number;
  routes: (router: ConnectRouter) => void;
  fallback: FallbackHandler;
}

export interface Servers {
  port: number;
  httpPort: number;
  /** Stops accepting, lets calls in flight finish for up to `graceMs`, then cuts what is left. */
  close(graceMs?: number): Promise<void>;
}

const ALLOWED_HEADERS = [...cors.allowedHeaders, TRACEPARENT_HEADER].join(", ");
const EXPOSED_HEADERS = cors.exposedHeaders.join(", ");

/** CORS for browsers (https://fetch.spec.whatwg.org/#http-cors-protocol); no credentials, so any origin. */
function withCors(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.origin) {
      res.setHeader("access-control-allow-origin", "*");
      res.setHeader("access-control-expose-headers", EXPOSED_HEADERS);
    }
    if (req.method === "OPTIONS" && req.headers["access-control-request-method"]) {
      res.writeHead(204, {
        "access-control-allow-methods": cors.allowedMethods.join(", "),
        "access-control-allow-headers": ALLOWED_HEADERS,
        "access-control-max-age": "7200",
      });
      res.end();
      return;
    }
    handler(req, res);
  };
}

function fallbackAdapter(fallback: FallbackHandler): NonNullable<ConnectNodeAdapterOptions["fallback"]> {
  return (req, nodeResponse) => {
    // http and http2 responses share writeHead(status, headers) and end(body); their typings do not unify.
    const res = nodeResponse as unknown as ServerResponse;
    void (async () => {
      const response = await fallback(new Request(`http://localhost${req.url}`, { method: req.method }));
      const body = Buffer.from(await response.arrayBuffer());
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(body);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };
}

interface Listener {
  listen(port: number, host: string, cb: () => void): unknown;
  address(): AddressInfo | string | null;
  once(event: "error", cb: (error: Error) => void): unknown;
}

/** Resolves with the bound port; a port in use rejects (and so stops the app) instead of hanging. */
function listen(server: Listener, port: number, host: string) {
  return new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startServers({ host, port, httpPort, routes, fallback, ...routerOptions }: ServersOptions): Promise<Servers> {
  // Aborted once the grace period is over: ends what outlives it (health Watch streams, reflection sessions).
  const shutdown = new AbortController();
  const handler = connectNodeAdapter({ ...routerOptions, routes, fallback: fallbackAdapter(fallback), shutdownSignal: shutdown.signal });
  const h2c = createHttp2Server(handler);
  const sessions = new Set<Http2Session>();
  h2c.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  const http1 = createHttpServer(withCors(handler));
  const [boundPort, boundHttpPort] = await Promise.all([listen(h2c, port, host), listen(http1, httpPort, host)]);

  return {
    port: boundPort,
    httpPort: boundHttpPort,
    async close(graceMs = 1_000) {
      const closed = Promise.all([new Promise((resolve) => h2c.close(resolve)), new Promise((resolve) => http1.close(resolve))]);
      // GOAWAY: clients open no new streams on these sessions, the ones in flight may finish.
      for (const session of sessions) session.close();
      http1.closeIdleConnections();
      await Promise.race([closed, Bun.sleep(graceMs)]);
      // Streams still open end with an OK status (their handlers see the abort), then whatever is left is cut.
      shutdown.abort();
      await Promise.race([closed, Bun.sleep(graceMs / 2)]);
      for (const session of sessions) session.destroy();
      http1.closeAllConnections();
      await Promise.race([closed, Bun.sleep(graceMs)]);
    },
  };
}
