/**
 * The value kept per registration in the `vehicles` KV bucket, and the pure rules that turn a change into
 * the next value plus the event that must be published for it (the outbox entry travels inside the value,
 * so the vehicle and "this event is owed" are written in one atomic KV operation).
 */
import type { CarModel, Manufacturer } from "@forecourt/shared/catalog";
import { vehicleSubject, type VehicleEventBodies, type VehicleFields } from "@forecourt/shared/contracts";
import { DEMO_DEALER } from "../dealers/dealer-keys.ts";
import type { VehicleInput } from "./vehicle-input.ts";

export type OwedEventKind = "listed" | "updated" | "removed";

export interface PendingEvent {
  kind: OwedEventKind;
  /** Nats-Msg-Id: the same on every retry, so JetStream keeps exactly one copy. */
  msgId: string;
  subject: string;
  body: VehicleEventBodies[OwedEventKind];
  /** The trace the change was made in, so a replayed event still joins it. */
  traceparent: string;
}

export interface VehiclePrice {
  amount: number;
  currencyCode: string;
  pricedAt: string;
}

export interface StoredVehicle extends VehicleFields {
  updatedAt?: string;
  price?: VehiclePrice;
  /** Set while a removal is being delivered: the car is already gone for every reader. */
  removing?: true;
  /** The event this change owes subscribers; cleared once JetStream has acknowledged it. */
  pending?: PendingEvent;
}

/** A value written by a change: the event it owes travels with it until the outbox clears it. */
export type OwingVehicle = StoredVehicle & { pending: PendingEvent };

/**
 * The dealer a car belongs to: the one who listed it. A car stored before dealers signed in names none and
 * belongs to `demo` (it was listed by the demo seed, or by hand on a machine where only the demo dealer exists now).
 */
export function ownerOf(vehicle: Pick<StoredVehicle, "dealer">): string {
  return vehicle.dealer || DEMO_DEALER;
}

function fields(input: VehicleInput, model: CarModel, manufacturer: Manufacturer, listedAt: string, dealer: string): VehicleFields {
  return {
    registration: input.registration,
    manufacturerCode: manufacturer.code,
    manufacturerName: manufacturer.name,
    modelCode: model.code,
    modelName: model.name,
    color: input.color,
    year: input.year,
    listedAt,
    dealer,
  };
}

const pending = (kind: OwedEventKind, body: VehicleEventBodies[OwedEventKind], ctx: ChangeContext): PendingEvent => ({
  kind,
  msgId: ctx.msgId,
  subject: vehicleSubject(kind, body.manufacturerCode, body.modelCode, ctx.origin),
  body,
  traceparent: ctx.traceparent,
});

export interface ChangeContext {
  now: Date;
  msgId: string;
  traceparent: string;
  /** The participant this API belongs to: the last token of the event's subject. */
  origin: string;
}

export function listedVehicle(input: VehicleInput, model: CarModel, manufacturer: Manufacturer, dealer: string, ctx: ChangeContext): OwingVehicle {
  const vehicle = fields(input, model, manufacturer, ctx.now.toISOString(), dealer);
  return { ...vehicle, pending: pending("listed", vehicle, ctx) };
}

/** A replacement keeps the listing date and dealer; a price survives only while model and year (what it rests on) do. */
export function updatedVehicle(current: StoredVehicle, input: VehicleInput, model: CarModel, manufacturer: Manufacturer, ctx: ChangeContext): OwingVehicle {
  const updatedAt = ctx.now.toISOString();
  const vehicle = fields(input, model, manufacturer, current.listedAt, ownerOf(current));
  const keepPrice = current.price && current.modelCode === model.code && current.year === input.year;
  return {
    ...vehicle,
    updatedAt,
    ...(keepPrice ? { price: current.price } : {}),
    pending: pending("updated", { ...vehicle, updatedAt }, ctx),
  };
}

export function removingVehicle(current: StoredVehicle, ctx: ChangeContext): OwingVehicle {
  const { pending: _owed, removing: _removing, updatedAt: _updated, price: _price, ...vehicle } = current;
  return { ...current, removing: true, pending: pending("removed", { ...vehicle, removedAt: ctx.now.toISOString() }, ctx) };
}

export function withoutPending(vehicle: StoredVehicle): StoredVehicle {
  const { pending: _owed, ...rest } = vehicle;
  return rest;
}

/** Visible to readers: present and not on its way out. */
export function isVisible(vehicle: StoredVehicle | undefined): vehicle is StoredVehicle {
  return vehicle !== undefined && !vehicle.removing;
}
