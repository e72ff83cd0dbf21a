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
} from "../gen/forecourt/vehicles/v1/events_pb.ts";
import type { VehicleEventKind } from "./subjects.ts";

export interface VehicleFields {
  registration: string;
  manufacturerCode: string;
  manufacturerName: string;
  modelCode: string;
  modelName: string;
  color: string;
  year: number;
  /** ISO-8601 UTC */
  listedAt: string;
}
export type VehicleListedEvent = VehicleFields;
export interface VehicleUpdatedEvent extends VehicleFields {
  updatedAt: string;
}
export interface VehicleRemovedEvent extends VehicleFields {
  removedAt: string;
}
export interface VehiclePricedEvent extends VehicleFields {
  /** Whole currency units (pounds for GBP). */
  price: number;
  currencyCode: string;
  pricedAt: string;
  /** The participant whose price calculator answered; "" in events from before it was recorded. */
  pricedBy: string;
}

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
