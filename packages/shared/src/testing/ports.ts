/**
 * The one place that picks and probes TCP ports, for tests, benchmarks, `bun run dev` and the Playwright config.
 * Only node:net, so it runs under Node (Playwright) as well as Bun.
 */
import { createConnection, createServer } from "node:net";

/** True when nothing listens on the port: a listener of our own binds it (exclusively) and lets go. */
export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** True when something accepts a TCP connection on the port within the timeout. */
export function portAnswers(port: number, host = "127.0.0.1", timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(timeoutMs);
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });
}

const handedOut = new Set<number>();

/**
 * A port nobody listens on right now, below Linux's ephemeral range (32768-60999), so that no outgoing
 * connection (NATS clients, browsers) can take it between picking and binding. Never the same port twice
 * in one process, so several picked before any is bound are all different.
 */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (handedOut.has(port)) continue;
    if (await isPortFree(port, host)) {
      handedOut.add(port);
      return port;
    }
  }
}
