/**
 * The bench's live socket acknowledges the frames it has read as the live page does (apps/web/src/page/connection.ts):
 * the web app stops sending to a socket that leaves WEB_MAX_UNACKED frames unacknowledged, which a bench sending
 * thousands of cars would otherwise reach within seconds.
 */
import { ACK_AFTER_MS, ACK_EVERY_FRAMES } from "../../apps/web/src/page/connection.ts";

const SEQ = /"seq":(\d+)/;

/** Returns what to call with each vehicle frame's text; `send` gets each `ack` message. */
export function createFeedAcks(send: (message: string) => void, later: (fn: () => void, ms: number) => unknown = setTimeout): (frame: string) => void {
  let applied = 0;
  let unacked = 0;
  let pending = false;
  const ack = () => {
    pending = false;
    if (unacked === 0) return;
    unacked = 0;
    send(JSON.stringify({ type: "ack", seq: applied }));
  };
  return (frame) => {
    const seq = Number(SEQ.exec(frame)?.[1]);
    if (!Number.isFinite(seq)) return;
    applied = Math.max(applied, seq);
    if (++unacked >= ACK_EVERY_FRAMES) ack();
    else if (!pending) {
      pending = true;
      later(ack, ACK_AFTER_MS);
    }
  };
}
