/**
 * HAL link building (draft-kelly-json-hal) plus Autobarn-style `_actions` that describe the writes a client
 * may make next. Pure: paths only, never hosts, so every instance behind any proxy answers alike.
 */
import type { CarModel, Manufacturer } from "@forecourt/shared/catalog";
import { VEHICLE_FIELD_DOCS, VEHICLE_FIELDS, type VehicleField } from "@forecourt/shared/contracts";
import { ownerOf, type StoredVehicle } from "../vehicles/stored-vehicle.ts";
import type { VehicleFilter, VehicleSummary } from "../vehicles/vehicle-index.ts";

export interface Link {
  href: string;
}
export interface Action {
  href: string;
  method: "POST" | "PUT" | "DELETE";
  name: string;
  type?: string;
  /** The JSON fields the request body takes. */
  fields?: { name: string; type: string; description: string }[];
}

export const API = "/api";

export const FILTER_FIELDS = ["manufacturer", "model", "color", "year"] as const;

export function vehiclesHref(index: number, count: number, filter: VehicleFilter = {}): string {
  const params = new URLSearchParams({ index: String(index), count: String(count) });
  for (const field of FILTER_FIELDS) {
    const value = filter[field];
    if (value !== undefined) params.set(field, String(value));
  }
  return `${API}/vehicles?${params}`;
}

export const vehicleHref = (registration: string) => `${API}/vehicles/${encodeURIComponent(registration)}`;
export const modelHref = (code: string) => `${API}/models/${encodeURIComponent(code)}`;
export const manufacturerHref = (code: string) => `${API}/manufacturers/${encodeURIComponent(code)}`;

export interface PageLinks {
  self: Link;
  first: Link;
  previous?: Link;
  next?: Link;
  final: Link;
}

/**
 * Links of the page starting at `index`. `previous` only when index > 0 (clamped at 0); `next` only when
 * items remain after this page; `final` is the last non-empty page on this page's grid (offsets ≡ index mod
 * count), so following `next` from here ends exactly on it; the first page when nothing lies on that grid.
 */
export function pageLinks(index: number, count: number, total: number, filter: VehicleFilter = {}): PageLinks {
  const href = (i: number) => ({ href: vehiclesHref(i, count, filter) });
  const links: PageLinks = { self: href(index), first: href(0), final: href(finalIndex(index, count, total)) };
  if (index > 0) links.previous = href(Math.max(0, index - count));
  if (index + count < total) links.next = href(index + count);
  return links;
}

export function finalIndex(index: number, count: number, total: number): number {
  const offset = index % count;
  if (total <= offset) return 0;
  return offset + Math.floor((total - 1 - offset) / count) * count;
}

/** The fields of an action's body, described in the shared vehicle rules' words. */
const actionFields = (...names: VehicleField[]) => names.map((name) => ({ name, type: VEHICLE_FIELD_DOCS[name].type, description: VEHICLE_FIELD_DOCS[name].description }));

export const createVehicleAction = (): Action => ({
  href: `${API}/vehicles`,
  method: "POST",
  name: "List a vehicle",
  type: "application/json",
  fields: actionFields(...VEHICLE_FIELDS),
});

export function vehicleSummary(v: VehicleSummary) {
  return {
    registration: v.registration,
    manufacturerCode: v.manufacturerCode,
    modelCode: v.modelCode,
    modelName: v.modelName,
    color: v.color,
    year: v.year,
    _links: { self: { href: vehicleHref(v.registration) }, model: { href: modelHref(v.modelCode) } },
  };
}

export function vehicleResource(v: StoredVehicle) {
  const self = vehicleHref(v.registration);
  return {
    registration: v.registration,
    manufacturerCode: v.manufacturerCode,
    manufacturerName: v.manufacturerName,
    modelCode: v.modelCode,
    modelName: v.modelName,
    color: v.color,
    year: v.year,
    listedAt: v.listedAt,
    dealer: ownerOf(v),
    ...(v.updatedAt ? { updatedAt: v.updatedAt } : {}),
    ...(v.price ? { price: { amount: v.price.amount, currencyCode: v.price.currencyCode } } : {}),
    _links: {
      self: { href: self },
      model: { href: modelHref(v.modelCode) },
      manufacturer: { href: manufacturerHref(v.manufacturerCode) },
    },
    _actions: {
      update: { href: self, method: "PUT", name: "Replace this vehicle's details", type: "application/json", fields: actionFields("modelCode", "color", "year") },
      delete: { href: self, method: "DELETE", name: "Take this vehicle off the forecourt" },
    } satisfies Record<string, Action>,
  };
}

export function modelResource(m: CarModel) {
  return {
    code: m.code,
    manufacturerCode: m.manufacturerCode,
    name: m.name,
    basePrice: m.basePrice,
    _links: {
      self: { href: modelHref(m.code) },
      manufacturer: { href: manufacturerHref(m.manufacturerCode) },
      vehicles: { href: vehiclesHref(0, 10, { model: m.code }) },
    },
    _actions: {
      create: {
        href: modelHref(m.code),
        method: "POST",
        name: `List a ${m.name}`,
        type: "application/json",
        fields: actionFields("registration", "color", "year"),
      },
    } satisfies Record<string, Action>,
  };
}

export function modelSummary(m: CarModel) {
  return { code: m.code, manufacturerCode: m.manufacturerCode, name: m.name, _links: { self: { href: modelHref(m.code) } } };
}

export function manufacturerResource(m: Manufacturer, models: CarModel[]) {
  return {
    code: m.code,
    name: m.name,
    _links: {
      self: { href: manufacturerHref(m.code) },
      models: models.map((model) => ({ href: modelHref(model.code), name: model.code, title: model.name })),
      vehicles: { href: vehiclesHref(0, 10, { manufacturer: m.code }) },
    },
  };
}

export function manufacturerSummary(m: Manufacturer) {
  return { code: m.code, name: m.name, _links: { self: { href: manufacturerHref(m.code) } } };
}
