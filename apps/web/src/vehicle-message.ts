/** Turns one VEHICLES stream message into the feed's `vehicle` frame; bodies that break the contract are refused. */
import { decodeEvent, InvalidEventError, parseVehicleSubject } from "@forecourt/shared/contracts";
import type { MsgHdrs } from "@nats-io/transport-node";
import type { RelayedVehicle, ServerMessage } from "./protocol.ts";

export interface StreamMessage {
  subject: string;
  data: Uint8Array;
  seq: number;
  /** JetStream's receive time, nanoseconds since the epoch. */
  timestampNanos: number;
  /** The publisher's headers: the relay's span continues the trace they carry. */
  headers?: MsgHdrs;
}

export function toVehicleMessage(m: StreamMessage, backlog: boolean): Extract<ServerMessage, { type: "vehicle" }> {
  const parsed = parseVehicleSubject(m.subject);
  if (!parsed) throw new InvalidEventError(`${m.subject} is not a vehicle event subject`);
  const vehicle = decodeEvent(parsed.kind, m.data) as RelayedVehicle;
  return {
    type: "vehicle",
    seq: m.seq,
    event: parsed.kind,
    backlog,
    publishedAt: new Date(Math.floor(m.timestampNanos / 1e6)).toISOString(),
    origin: parsed.origin,
    ...(parsed.kind === "priced" ? { pricedBy: vehicle.pricedBy ?? "" } : {}),
    vehicle,
  };
}
