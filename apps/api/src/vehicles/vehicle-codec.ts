/**
 * The bytes of a stored vehicle, serialised once per write. A change needs three byte strings (the value with
 * its owed event for KV, the event body for JetStream, the value without the marker that clears it); they
 * share the vehicle's JSON instead of each stringifying it again: the marked value is the settled value with
 * the marker spliced in before its closing brace, and a body equal to the settled value (a listing, an update
 * of an unpriced car) is the same bytes `encodeEvent` would give. The stored JSON is the one `JSON.parse` reads back as `StoredVehicle`.
 */
import { encodeEvent } from "@forecourt/shared/contracts";
import type { KV } from "@nats-io/kv";
import type { OwingVehicle, StoredVehicle } from "./stored-vehicle.ts";

export interface EncodedChange {
  /** Step 1: the vehicle and the event it owes, in one KV value. */
  stored: Uint8Array;
  /** Step 2: the event body as published. */
  event: Uint8Array;
  /** Step 3: the value that clears the marker (a removal deletes the key instead). */
  settled: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const CLOSE = encoder.encode("}}");

/** Same keys in the same order with the same values: then both stringify to the same text. */
function sameFields(a: object, b: object): boolean {
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return keysA.length === keysB.length && keysA.every((key, i) => key === keysB[i] && (a as Record<string, unknown>)[key] === (b as Record<string, unknown>)[key]);
}

export function encodeChange(vehicle: OwingVehicle): EncodedChange {
  const { pending, ...rest } = vehicle;
  const { body, ...marker } = pending;
  const settled = encoder.encode(JSON.stringify(rest));
  const event = sameFields(body, rest) ? settled : encodeEvent(pending.kind, body);
  // {…settled fields,"pending":{…marker,"body":<event>}}
  const header = encoder.encode(`,"pending":${JSON.stringify(marker).slice(0, -1)},"body":`);
  return { stored: Buffer.concat([settled.subarray(0, -1), header, event, CLOSE]), event, settled };
}

export function encodeVehicle(vehicle: StoredVehicle): Uint8Array {
  return encoder.encode(JSON.stringify(vehicle));
}

export function decodeVehicle(data: Uint8Array): StoredVehicle {
  return JSON.parse(decoder.decode(data)) as StoredVehicle;
}

/** The current value of a key with its revision (the CAS token); undefined when absent or deleted. */
export async function readVehicle(kv: KV, registration: string): Promise<{ revision: number; vehicle: StoredVehicle } | undefined> {
  const entry = await kv.get(registration);
  if (!entry || entry.operation !== "PUT") return undefined;
  return { revision: entry.revision, vehicle: decodeVehicle(entry.value) };
}
