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
import { isCurrencyCode } from "./currencies.ts";
import type { VehicleEventKind } from "./subjects.ts";

/**
 * A body as it travels: the generated message's fields without protobuf-es's `$typeName`/`$unknown`. The
 * proto is the one definition of each event's fields; int64 travels as a JSON string and is read as a number.
 * `dealer` (who listed the car) is optional: events from before dealers signed in carry none, and proto3
 * cannot tell an empty string from an absent one, so a decoded body leaves an empty one out.
 */
type Body<M> = Omit<M, "$typeName" | "$unknown" | "dealer"> & { dealer?: string };

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
/** Left out of a decoded body when empty (proto3 cannot tell empty from absent). */
const OPTIONAL = new Set(["dealer"]);

/**
 * What a priced event must hold beyond its proto shape, for every reader (the API before storing a price, the
 * live page's relay before showing one) and the pricer before publishing one.
 */
export const PRICED_EVENT_RULES = {
  /** Whole currency units: no free cars, and nothing a forecourt could ask (a forged 999,999,999 is refused). */
  price: { minimum: 1, maximum: 10_000_000 },
  /** How far ahead of the reader's clock `pricedAt` may be: clocks on two machines differ a little, never by much. */
  maxClockSkewMs: 60_000,
} as const;

const shown = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
};

/** Why a priced event breaks the rules above, or undefined when it keeps them. */
export function pricedEventViolation(event: Pick<VehiclePricedEvent, "price" | "currencyCode" | "pricedAt">, now: Date = new Date()): string | undefined {
  const { minimum, maximum } = PRICED_EVENT_RULES.price;
  if (!isCurrencyCode(event.currencyCode)) return `currencyCode must be an ISO 4217 code of a currency in circulation, such as "GBP", got ${shown(event.currencyCode)}`;
  if (!Number.isSafeInteger(event.price) || event.price < minimum || event.price > maximum)
    return `price must be a whole number from ${minimum} to ${maximum.toLocaleString("en-GB")}, got ${shown(event.price)}`;
  const pricedAt = typeof event.pricedAt === "string" && /^\d{4}-\d{2}-\d{2}T/.test(event.pricedAt) ? Date.parse(event.pricedAt) : Number.NaN;
  if (Number.isNaN(pricedAt)) return `pricedAt must be an ISO-8601 timestamp, got ${shown(event.pricedAt)}`;
  if (pricedAt > now.getTime() + PRICED_EVENT_RULES.maxClockSkewMs) return `pricedAt must not be in the future, got ${shown(event.pricedAt)}`;
  return undefined;
}

/** Throws InvalidEventError when a body of this kind breaks a rule its proto shape cannot express. */
export function assertEventRules<K extends VehicleEventKind>(kind: K, body: VehicleEventBodies[K], now: Date = new Date()): void {
  if (kind !== "priced") return;
  const violation = pricedEventViolation(body as VehiclePricedEvent, now);
  if (violation) throw new InvalidEventError(`priced event breaks the contract: ${violation}`);
}

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

/**
 * Decodes and validates an event body against its proto message and the rules above (`now` is the reader's
 * clock, for "not in the future"); throws InvalidEventError.
 */
export function decodeEvent<K extends VehicleEventKind>(kind: K, data: Uint8Array, now: Date = new Date()): VehicleEventBodies[K] {
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
    if (OPTIONAL.has(field.localName) && value === "") continue;
    body[field.localName] = typeof value === "bigint" ? Number(value) : value;
  }
  assertEventRules(kind, body as unknown as VehicleEventBodies[K], now);
  return body as unknown as VehicleEventBodies[K];
}
