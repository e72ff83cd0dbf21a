/**
 * The value kept per registration in the `vehicles` KV bucket, and the pure rules that turn a change into
 * the next value plus the event that must be published for it (the outbox entry travels inside the value,
 * so the vehicle and "this event is owed" are written in one atomic KV operation).
 */
import type { CarModel, Manufacturer } from "@forecourt/shared/catalog";
import { vehicleSubject, type VehicleEventBodies, type VehicleFields } from "@forecourt/shared/contracts";
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

function fields(input: VehicleInput, model: CarModel, manufacturer: Manufacturer, listedAt: string): VehicleFields {
  return {
    registration: input.registration,
    manufacturerCode: manufacturer.code,
    manufacturerName: manufacturer.name,
    modelCode: model.code,
    modelName: model.name,
    color: input.color,
    year: input.year,
    listedAt,
  };
}

const pending = (kind: OwedEventKind, body: VehicleEventBodies[OwedEventKind], msgId: string, traceparent: string): PendingEvent => ({
  kind,
  msgId,
  subject: vehicleSubject(kind, body.manufacturerCode, body.modelCode),
  body,
  traceparent,
});

export interface ChangeContext {
  now: Date;
  msgId: string;
  traceparent: string;
}

export function listedVehicle(input: VehicleInput, model: CarModel, manufacturer: Manufacturer, ctx: ChangeContext): OwingVehicle {
  const vehicle = fields(input, model, manufacturer, ctx.now.toISOString());
  return { ...vehicle, pending: pending("listed", vehicle, ctx.msgId, ctx.traceparent) };
}

/** A replacement keeps the listing date; a price survives only while model and year (what it rests on) do. */
export function updatedVehicle(current: StoredVehicle, input: VehicleInput, model: CarModel, manufacturer: Manufacturer, ctx: ChangeContext): OwingVehicle {
  const updatedAt = ctx.now.toISOString();
  const vehicle = fields(input, model, manufacturer, current.listedAt);
  const keepPrice = current.price && current.modelCode === model.code && current.year === input.year;
  return {
    ...vehicle,
    updatedAt,
    ...(keepPrice ? { price: current.price } : {}),
    pending: pending("updated", { ...vehicle, updatedAt }, ctx.msgId, ctx.traceparent),
  };
}

export function removingVehicle(current: StoredVehicle, ctx: ChangeContext): OwingVehicle {
  const { pending: _owed, removing: _removing, updatedAt: _updated, price: _price, ...vehicle } = current;
  return { ...current, removing: true, pending: pending("removed", { ...vehicle, removedAt: ctx.now.toISOString() }, ctx.msgId, ctx.traceparent) };
}

export function withoutPending(vehicle: StoredVehicle): StoredVehicle {
  const { pending: _owed, ...rest } = vehicle;
  return rest;
}

/** Visible to readers: present and not on its way out. */
export function isVisible(vehicle: StoredVehicle | undefined): vehicle is StoredVehicle {
  return vehicle !== undefined && !vehicle.removing;
}
