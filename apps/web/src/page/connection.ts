/**
 * The page's side of /ws: connects, reconnects with growing jittered delays, and reports one of three
 * states for the indicator. Resuming (which sequence to ask for) is the caller's business, in `onOpen`.
 */
import type { ClientMessage } from "../protocol.ts";

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline";

/** After this many failed attempts in a row the page says offline (it keeps trying, more slowly). */
export const OFFLINE_AFTER_ATTEMPTS = 6;
const HEARTBEAT_MS = 15_000;
/** The page acknowledges the last sequence it applied every this many vehicle frames, or this long after one. */
export const ACK_EVERY_FRAMES = 100;
export const ACK_AFTER_MS = 250;

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
  /** Every frame as it came, unparsed: the caller validates it (frame-guard.ts) and returns a vehicle frame's sequence, which is acknowledged. */
  onFrame(data: unknown): number | undefined;
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
    // The server stops sending to a page that leaves too many frames unacknowledged (WEB_MAX_UNACKED).
    let applied = 0;
    let unacked = 0;
    let ackTimer: ReturnType<typeof setTimeout> | undefined;
    const ack = () => {
      clearTimeout(ackTimer);
      ackTimer = undefined;
      if (unacked === 0 || socket !== ws) return;
      unacked = 0;
      send({ type: "ack", seq: applied });
    };
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
      const seq = handlers.onFrame(event.data);
      if (seq === undefined) return;
      applied = Math.max(applied, seq);
      if (++unacked >= ACK_EVERY_FRAMES) ack();
      else ackTimer ??= setTimeout(ack, ACK_AFTER_MS);
    };
    ws.onclose = () => {
      clearInterval(heartbeat);
      clearTimeout(ackTimer);
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
