/**
 * The page's model of the feed: the latest cars, newest first, each row moving listed → priced. Frames are
 * applied once, as they arrive (the DOM follows at most once per animation frame): anything at or below the
 * last stream sequence applied is a duplicate (a resumed socket may overlap what was already shown) and is
 * ignored. A row is replaced, never changed in place, so a view can tell a changed row by identity.
 */
import type { CarFields, VehicleFrame } from "./frame-guard.ts";

export type CarStatus = "listed" | "priced" | "removed";

export interface CarRow {
  readonly car: CarFields;
  readonly status: CarStatus;
  /** Sequence of the event that last changed this row. */
  readonly seq: number;
}

export type ApplyResult = { applied: false } | { applied: true; row: CarRow; isNew: boolean };

export const MAX_ROWS = 50;

export class FeedState {
  lastSeq = 0;
  private rows: CarRow[] = [];

  constructor(private readonly maxRows = MAX_ROWS) {}

  /** Newest first. */
  get cars(): readonly CarRow[] {
    return this.rows;
  }

  apply(frame: Pick<VehicleFrame, "seq" | "event" | "car">): ApplyResult {
    if (frame.seq <= this.lastSeq) return { applied: false };
    this.lastSeq = frame.seq;
    const index = this.rows.findIndex((r) => r.car.registration === frame.car.registration);
    const existing = index >= 0 ? this.rows[index] : undefined;
    const row: CarRow = { car: mergeCar(existing?.car, frame), status: nextStatus(existing?.status, frame), seq: frame.seq };
    if (existing) this.rows[index] = row;
    else {
      this.rows.unshift(row);
      if (this.rows.length > this.maxRows) this.rows.length = this.maxRows;
    }
    return { applied: true, row, isNew: !existing };
  }

  /** A new filter starts from a clean slate. */
  reset(): void {
    this.lastSeq = 0;
    this.rows = [];
  }
}

/**
 * The frame's fields replace the row's (a bad one shows as "—" rather than a stale value), except the price:
 * a priced event sets it (or blanks a bad one), a listing starts without one, and an update or removal,
 * which carry no price, keep the one shown (and who priced it).
 */
function mergeCar(existing: CarFields | undefined, frame: Pick<VehicleFrame, "event" | "car">): CarFields {
  const { price, currencyCode, pricedBy, ...fields } = frame.car;
  const keepPrice = (frame.event === "updated" || frame.event === "removed") && price === undefined;
  const priced = keepPrice ? { price: existing?.price, currencyCode: existing?.currencyCode } : { price, currencyCode };
  // Who priced it goes with the price: kept by an update, gone with a new listing.
  const by = frame.event === "updated" || frame.event === "removed" ? (pricedBy ?? existing?.pricedBy) : pricedBy;
  const car: CarFields = priced.price === undefined ? fields : { ...fields, price: priced.price, currencyCode: priced.currencyCode };
  return by === undefined ? car : { ...car, pricedBy: by };
}

function nextStatus(current: CarStatus | undefined, frame: Pick<VehicleFrame, "event" | "car">): CarStatus {
  switch (frame.event) {
    case "priced":
      return "priced";
    case "removed":
      return "removed";
    case "listed":
      return "listed";
    case "updated":
      return current ?? (frame.car.price === undefined ? "listed" : "priced");
  }
}
