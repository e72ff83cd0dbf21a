/**
 * The /ws feed's JSON messages, each with a `type`: what the server sends, what a browser may send,
 * and the one parser that turns a browser's frame into a request or a reason to answer with an error frame.
 * The page imports these types too, so both ends agree on the shapes (documented in the README).
 */
import { PARTICIPANT_NAME, type VehicleEventKind, type VehicleFields } from "@forecourt/shared/contracts";

export interface ManufacturerOption {
  code: string;
  name: string;
}

/** A vehicle event's body as relayed: the listed fields plus whatever its kind adds (price on priced). */
export type RelayedVehicle = VehicleFields & {
  price?: number;
  currencyCode?: string;
  pricedAt?: string;
  pricedBy?: string;
  updatedAt?: string;
  removedAt?: string;
};

/** This stack's link to a workshop hub: not-joined outside a workshop. */
export type HubStatus = "connected" | "disconnected" | "not-joined";

export type ServerMessage =
  | { type: "welcome"; instance: string; apiBaseUrl: string; resumeWindow: number; manufacturers: ManufacturerOption[]; participant: string; hub: HubStatus; linkControlUrl?: string }
  | { type: "hub"; hub: HubStatus }
  | { type: "subscribed"; manufacturer: string | null; participant: string | null; fromSeq: number; lastSeq: number; truncated: boolean }
  /** `origin`: the participant whose stack published the event; `pricedBy` (priced only): whose calculator priced it. */
  | { type: "vehicle"; seq: number; event: VehicleEventKind; backlog: boolean; publishedAt: string; origin: string; pricedBy?: string; vehicle: RelayedVehicle }
  | { type: "pong" }
  | { type: "error"; code: ErrorCode; message: string };

export type ErrorCode = "invalid-message" | "unavailable";

export type ClientMessage =
  | { type: "subscribe"; manufacturer: string | null; participant?: string | null; after: number | null }
  | { type: "ack"; seq: number }
  | { type: "ping" };

/** Close code when a socket's send buffer stays full, or its page does not acknowledge frames: the browser reconnects and resumes (4000-4999 are private use, RFC 6455 §7.4.2). */
export const CLOSE_SLOW_CONSUMER = 4008;
/** Close code when the server is shutting down, lost NATS or holds WEB_MAX_SOCKETS: "try again later" (RFC 6455 §7.4.1). */
export const CLOSE_TRY_AGAIN = 1013;
/** Close code for a socket over WEB_MAX_SOCKETS_PER_CLIENT from one address (private use, echoing HTTP 429). */
export const CLOSE_TOO_MANY_SOCKETS = 4029;

/** Manufacturer codes are kebab-case catalog codes; anything else could widen the subject filter. */
export const MANUFACTURER_CODE = /^[a-z0-9][a-z0-9-]{0,63}$/;

export type ParseResult = { ok: true; message: ClientMessage } | { ok: false; error: string };

/** Accepts a frame as text or as the object Elysia already parsed from JSON text. */
export function parseClientMessage(frame: unknown): ParseResult {
  let value = frame;
  if (typeof frame === "string") {
    try {
      value = JSON.parse(frame);
    } catch {
      return { ok: false, error: "message is not JSON" };
    }
  } else if (frame instanceof Uint8Array || frame instanceof ArrayBuffer) {
    return { ok: false, error: "binary frames are not accepted; send JSON text" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, error: "message must be a JSON object with a type" };
  const body = value as Record<string, unknown>;
  switch (body.type) {
    case "ping":
      return { ok: true, message: { type: "ping" } };
    case "ack": {
      const seq = body.seq;
      if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 0) return { ok: false, error: "seq must be the last stream sequence applied (an integer ≥ 0)" };
      return { ok: true, message: { type: "ack", seq } };
    }
    case "subscribe": {
      const manufacturer = body.manufacturer ?? null;
      if (manufacturer !== null && (typeof manufacturer !== "string" || !MANUFACTURER_CODE.test(manufacturer))) {
        return { ok: false, error: "manufacturer must be a manufacturer code such as \"ford\", or null for every make" };
      }
      const participant = body.participant ?? null;
      if (participant !== null && (typeof participant !== "string" || !PARTICIPANT_NAME.test(participant))) {
        return { ok: false, error: "participant must be a participant name such as \"alice\", or null for everyone" };
      }
      const after = body.after ?? null;
      if (after !== null && (typeof after !== "number" || !Number.isSafeInteger(after) || after < 0)) {
        return { ok: false, error: "after must be the last stream sequence seen (an integer ≥ 0), or null" };
      }
      return { ok: true, message: { type: "subscribe", manufacturer, participant, after } };
    }
    default:
      return { ok: false, error: `unknown message type ${JSON.stringify(body.type ?? null)}; expected subscribe, ack or ping` };
  }
}
