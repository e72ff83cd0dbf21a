/**
 * The page's model of the feed: the latest cars, newest first, each row moving listed → priced. Frames are
 * applied once: anything at or below the last stream sequence applied is a duplicate (a resumed socket may
 * overlap what was already shown) and is ignored.
 */
import type { VehicleEventKind } from "@forecourt/shared/contracts";
import type { RelayedVehicle } from "../protocol.ts";

export type CarStatus = "listed" | "priced" | "removed";

export interface CarRow {
  vehicle: RelayedVehicle;
  status: CarStatus;
  /** Sequence of the event that last changed this row. */
  seq: number;
}

export interface VehicleFrame {
  seq: number;
  event: VehicleEventKind;
  vehicle: RelayedVehicle;
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

  apply(frame: VehicleFrame): ApplyResult {
    if (frame.seq <= this.lastSeq) return { applied: false };
    this.lastSeq = frame.seq;
    const index = this.rows.findIndex((r) => r.vehicle.registration === frame.vehicle.registration);
    const existing = index >= 0 ? this.rows[index] : undefined;
    const row: CarRow = {
      // A later listed/updated event must not erase a price already shown.
      vehicle: { ...existing?.vehicle, ...frame.vehicle, price: frame.vehicle.price ?? (frame.event === "listed" ? undefined : existing?.vehicle.price) },
      status: nextStatus(existing?.status, frame.event, frame.vehicle),
      seq: frame.seq,
    };
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

function nextStatus(current: CarStatus | undefined, event: VehicleEventKind, vehicle: RelayedVehicle): CarStatus {
  switch (event) {
    case "priced":
      return "priced";
    case "removed":
      return "removed";
    case "listed":
      return "listed";
    case "updated":
      return current ?? (vehicle.price === undefined ? "listed" : "priced");
  }
}
