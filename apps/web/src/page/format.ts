/** How the page words a car: toast text, prices, the link to the car's API resource. Pure, so unit-tested. */
import type { RelayedVehicle } from "../protocol.ts";

const formatters = new Map<string, Intl.NumberFormat>();

/** Whole units with the currency's symbol: 7450 GBP → "£7,450". */
export function formatPrice(price: number, currencyCode = "GBP"): string {
  let format = formatters.get(currencyCode);
  if (!format) {
    format = new Intl.NumberFormat("en-GB", { style: "currency", currency: currencyCode, maximumFractionDigits: 0, minimumFractionDigits: 0 });
    formatters.set(currencyCode, format);
  }
  return format.format(price);
}

export function describeVehicle(v: Pick<RelayedVehicle, "manufacturerName" | "manufacturerCode" | "modelName" | "modelCode">): string {
  const make = v.manufacturerName || v.manufacturerCode;
  const model = v.modelName || v.modelCode;
  return model.toLowerCase().startsWith(make.toLowerCase()) ? model : `${make} ${model}`;
}

/** "NEW VEHICLE! AB12CDE (Ford Fiesta, Blue, 2015): £7,450"; before the price arrives, "…: pricing…". */
export function toastText(v: RelayedVehicle): string {
  const price = v.price === undefined ? "pricing…" : formatPrice(v.price, v.currencyCode);
  return `NEW VEHICLE! ${v.registration} (${describeVehicle(v)}, ${v.color}, ${v.year}): ${price}`;
}

export function vehicleUrl(apiBaseUrl: string, registration: string): string {
  return `${apiBaseUrl.replace(/\/+$/, "")}/api/vehicles/${encodeURIComponent(registration)}`;
}
