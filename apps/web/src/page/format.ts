/** How the page words a car: toast text, prices, the link to the car's API resource. Pure, so unit-tested. */
import type { CarStatus } from "./feed-state.ts";
import type { CarFields } from "./frame-guard.ts";

/** What the page shows for a field that was missing or failed its rule. */
export const BLANK = "—";

const formatters = new Map<string, Intl.NumberFormat>();

/** Whole units with the currency's symbol: 7450 GBP → "£7,450"; a value Intl refuses → "—". */
export function formatPrice(price: number | undefined, currencyCode: string | undefined): string {
  if (price === undefined || currencyCode === undefined) return BLANK;
  try {
    let format = formatters.get(currencyCode);
    if (!format) {
      format = new Intl.NumberFormat("en-GB", { style: "currency", currency: currencyCode, maximumFractionDigits: 0, minimumFractionDigits: 0 });
      formatters.set(currencyCode, format);
    }
    return format.format(price);
  } catch {
    return BLANK;
  }
}

export function describeVehicle(car: Pick<CarFields, "manufacturerName" | "manufacturerCode" | "modelName" | "modelCode">): string {
  const make = car.manufacturerName ?? car.manufacturerCode;
  const model = car.modelName ?? car.modelCode;
  if (make === undefined || model === undefined) return model ?? make ?? BLANK;
  return model.toLowerCase().startsWith(make.toLowerCase()) ? model : `${make} ${model}`;
}

export function yearText(car: Pick<CarFields, "year">): string {
  return car.year === undefined ? BLANK : String(car.year);
}

/** The table's price cell: "—" until priced, and for a price that failed its rule. */
export function priceText(car: Pick<CarFields, "price" | "currencyCode">): string {
  return formatPrice(car.price, car.currencyCode);
}

/** "NEW VEHICLE! AB12CDE (Ford Fiesta, Blue, 2015): £7,450"; before the price arrives, "…: pricing…". */
export function toastText(car: CarFields, status: CarStatus): string {
  const price = status === "listed" && car.price === undefined ? "pricing…" : priceText(car);
  return `NEW VEHICLE! ${car.registration} (${describeVehicle(car)}, ${car.color ?? BLANK}, ${yearText(car)}): ${price}`;
}

/** "+1 more new car", "+1,234 more new cars". */
export function moreText(count: number): string {
  return `+${count.toLocaleString("en-GB")} more new ${count === 1 ? "car" : "cars"}`;
}

export function vehicleUrl(apiBaseUrl: string, registration: string): string {
  return `${apiBaseUrl.replace(/\/+$/, "")}/api/vehicles/${encodeURIComponent(registration)}`;
}

/** Whose car it is: "alice", "you" for the page's own participant's, "—" for an origin that failed its rule. */
export function participantText(name: string | undefined, self: string | undefined): string {
  if (name === undefined) return BLANK;
  return name === self ? "you" : name;
}

/** "from alice" / "from you" for a toast; a car without a valid origin says "from —". */
export function originText(car: Pick<CarFields, "origin">, self: string | undefined): string {
  return `from ${participantText(car.origin, self)}`;
}

/** "by bob" under a priced car's status ("priced by bob"); empty until priced, "by —" for a name that failed its rule. */
export function pricedByText(car: Pick<CarFields, "pricedBy" | "price">, status: CarStatus, self: string | undefined): string {
  if (status !== "priced" && car.pricedBy === undefined) return "";
  return `by ${participantText(car.pricedBy, self)}`;
}
