/**
 * The page's side of /ws: connects, reconnects with growing jittered delays, and reports one of three
 * states for the indicator. Resuming (which sequence to ask for) is the caller's business, in `onOpen`.
 */
import type { ClientMessage } from "../protocol.ts";

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline";

/** After this many failed attempts in a row the page says offline (it keeps trying, more slowly). */
export const OFFLINE_AFTER_ATTEMPTS = 6;
const HEARTBEAT_MS = 15_000;

/** 250 ms, 500 ms, 1 s … capped at 5 s, each ±20 % so a restarted server is not hit by every page at once. */
export function reconnectDelay(attempt: number, random = Math.random): number {
  const base = Math.min(5_000, 250 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export function stateAfterFailure(attempt: number, online: boolean): ConnectionState {
  return !online || attempt >= OFFLINE_AFTER_ATTEMPTS ? "offline" : "reconnecting";
}

export interface ConnectionHandlers {
  onOpen(send: (message: ClientMessage) => void): void;
  /** Every frame as it came, unparsed: the caller validates it (frame-guard.ts). */
  onFrame(data: unknown): void;
  onState(state: ConnectionState): void;
}

export function connectFeed(url: string, handlers: ConnectionHandlers): void {
  let attempt = 0;
  let socket: WebSocket | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let lastHeard = Date.now();

  const send = (message: ClientMessage) => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  };

  const open = () => {
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      lastHeard = Date.now();
      handlers.onState("connected");
      handlers.onOpen(send);
      // A server that vanished without closing (laptop asleep, network gone) is noticed by silence.
      heartbeat = setInterval(() => {
        if (Date.now() - lastHeard > 2.5 * HEARTBEAT_MS) ws.close();
        else send({ type: "ping" });
      }, HEARTBEAT_MS);
    };
    ws.onmessage = (event) => {
      lastHeard = Date.now();
      handlers.onFrame(event.data);
    };
    ws.onclose = () => {
      clearInterval(heartbeat);
      if (socket !== ws) return;
      handlers.onState(stateAfterFailure(attempt, navigator.onLine));
      setTimeout(open, reconnectDelay(attempt++));
    };
  };

  addEventListener("offline", () => handlers.onState("offline"));
  addEventListener("online", () => handlers.onState(socket?.readyState === WebSocket.OPEN ? "connected" : "reconnecting"));
  handlers.onState("connecting");
  open();
}
