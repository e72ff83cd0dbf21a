/**
 * Vehicle event bodies as they travel: the proto3 JSON mapping of proto/forecourt/vehicles/v1/events.proto.
 * Publishers build these plain objects; consumers decode through the generated schema, so a body that does
 * not match the contract is rejected at the edge (and dead-lettered) rather than half-understood.
 */
import { fromJson, type DescMessage, type JsonValue } from "@bufbuild/protobuf";
import {
  VehicleListedSchema,
  VehiclePricedSchema,
  VehicleRemovedSchema,
  VehicleUpdatedSchema,
  type VehicleListed,
  type VehiclePriced,
  type VehicleRemoved,
  type VehicleUpdated,
} from "../gen/forecourt/vehicles/v1/events_pb.ts";
import type { VehicleEventKind } from "./subjects.ts";

/**
 * A body as it travels: the generated message's fields without protobuf-es's `$typeName`/`$unknown`. The
 * proto is the one definition of each event's fields; int64 travels as a JSON string and is read as a number.
 */
type Body<M> = Omit<M, "$typeName" | "$unknown">;

export type VehicleListedEvent = Body<VehicleListed>;
/** What every vehicle event says about the car. */
export type VehicleFields = VehicleListedEvent;
export type VehicleUpdatedEvent = Body<VehicleUpdated>;
export type VehicleRemovedEvent = Body<VehicleRemoved>;
export type VehiclePricedEvent = Omit<Body<VehiclePriced>, "price"> & {
  /** Whole currency units (pounds for GBP). */
  price: number;
};

export interface VehicleEventBodies {
  listed: VehicleListedEvent;
  updated: VehicleUpdatedEvent;
  removed: VehicleRemovedEvent;
  priced: VehiclePricedEvent;
}

const SCHEMAS: Record<VehicleEventKind, DescMessage> = {
  listed: VehicleListedSchema,
  updated: VehicleUpdatedSchema,
  removed: VehicleRemovedSchema,
  priced: VehiclePricedSchema,
};

const REQUIRED: (keyof VehicleFields)[] = ["registration", "manufacturerCode", "modelCode", "color", "year", "listedAt"];

export class InvalidEventError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "InvalidEventError";
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeEvent<K extends VehicleEventKind>(_kind: K, body: VehicleEventBodies[K]): Uint8Array {
  return encoder.encode(JSON.stringify(body));
}

/** Decodes and validates an event body against its proto message; throws InvalidEventError. */
export function decodeEvent<K extends VehicleEventKind>(kind: K, data: Uint8Array): VehicleEventBodies[K] {
  let json: JsonValue;
  try {
    json = JSON.parse(decoder.decode(data));
  } catch (error) {
    throw new InvalidEventError(`${kind} event is not JSON`, { cause: error });
  }
  let message: Record<string, unknown>;
  try {
    message = fromJson(SCHEMAS[kind], json, { ignoreUnknownFields: true }) as unknown as Record<string, unknown>;
  } catch (error) {
    throw new InvalidEventError(`${kind} event does not match forecourt.vehicles.v1: ${(error as Error).message}`, { cause: error });
  }
  for (const field of REQUIRED) {
    if (!message[field]) throw new InvalidEventError(`${kind} event lacks ${field}`);
  }
  const body: Record<string, unknown> = {};
  for (const field of SCHEMAS[kind].fields) {
    const value = message[field.localName];
    body[field.localName] = typeof value === "bigint" ? Number(value) : value;
  }
  return body as unknown as VehicleEventBodies[K];
}
