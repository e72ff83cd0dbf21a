/**
 * The stored value a car's events lead to, replayed in stream order: what the API writes for each change
 * (stored-vehicle.ts) and for each price (VehicleStore.recordPrice), rebuilt from the events alone. Each
 * listed, updated and removed event carries the whole car; a priced event its price and the listing it was
 * computed for. Pure, so `bun run rebuild vehicles` and its tests agree on every rule.
 */
import type { VehicleEventBodies, VehicleEventKind, VehicleFields } from "@forecourt/shared/contracts";
import type { StoredVehicle } from "./stored-vehicle.ts";

/** The car's fields in the order the API stores them, so a rebuilt value reads like the original; the dealer when the event names one. */
function fieldsOf(body: VehicleFields): VehicleFields {
  const { registration, manufacturerCode, manufacturerName, modelCode, modelName, color, year, listedAt, dealer } = body;
  return { registration, manufacturerCode, manufacturerName, modelCode, modelName, color, year, listedAt, ...(dealer ? { dealer } : {}) };
}

export function replayEvent<K extends VehicleEventKind>(current: StoredVehicle | undefined, kind: K, body: VehicleEventBodies[K]): StoredVehicle | undefined {
  switch (kind) {
    case "listed":
      return fieldsOf(body);
    case "updated": {
      const { updatedAt } = body as VehicleEventBodies["updated"];
      const vehicle = fieldsOf(body);
      // As updatedVehicle: a price survives only while model and year, what it rests on, do.
      const keepPrice = current?.price && current.modelCode === vehicle.modelCode && current.year === vehicle.year;
      return { ...vehicle, updatedAt, ...(keepPrice ? { price: current.price } : {}) };
    }
    case "removed":
      return undefined;
    case "priced": {
      const priced = body as VehicleEventBodies["priced"];
      // As recordPrice: only for the listing it was computed for, and never over a newer price.
      if (!current || current.listedAt !== priced.listedAt) return current;
      if (current.price?.pricedAt && current.price.pricedAt >= priced.pricedAt) return current;
      return { ...current, price: { amount: priced.price, currencyCode: priced.currencyCode, pricedAt: priced.pricedAt } };
    }
  }
  return current;
}
