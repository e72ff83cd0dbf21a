/**
 * Which toasts are up: at most MAX_TOASTS cars, newest first, each for TOAST_MS; a car that arrives while
 * they are all up is counted in one "+N more" summary instead, which goes TOAST_MS after the last car it
 * counted. Shown toasts stay put until they expire, so at any rate they can be read. Pure: time is passed in.
 */
import type { CarRow } from "./feed-state.ts";

export const MAX_TOASTS = 3;
export const TOAST_MS = 8_000;
/** How long before expiry a toast starts fading out (the CSS transition's length). */
export const LEAVING_MS = 600;

export interface Toast {
  readonly row: CarRow;
  readonly expiresAt: number;
}

export class ToastBoard {
  private shown: Toast[] = [];
  private folded = 0;
  private foldedUntil = 0;

  constructor(
    private readonly max = MAX_TOASTS,
    private readonly lifetimeMs = TOAST_MS,
  ) {}

  /** Newest first. */
  get toasts(): readonly Toast[] {
    return this.shown;
  }

  /** Cars that arrived while every toast was up, since the summary appeared (0: no summary). */
  get more(): number {
    return this.folded;
  }

  /** A new car: a toast if there is room, else one more in the summary. */
  offer(row: CarRow, now: number): "shown" | "folded" {
    this.expire(now);
    if (this.update(row)) return "shown";
    if (this.shown.length < this.max) {
      this.shown.unshift({ row, expiresAt: now + this.lifetimeMs });
      return "shown";
    }
    this.folded++;
    this.foldedUntil = now + this.lifetimeMs;
    return "folded";
  }

  /** A car's later event (its price) updates its toast if it is up; true if it was. */
  update(row: CarRow): boolean {
    const index = this.shown.findIndex((t) => t.row.car.registration === row.car.registration);
    if (index < 0) return false;
    this.shown[index] = { ...this.shown[index]!, row };
    return true;
  }

  has(registration: string): boolean {
    return this.shown.some((t) => t.row.car.registration === registration);
  }

  /** Drops what has expired by `now`; true if anything went. */
  expire(now: number): boolean {
    const before = this.shown.length;
    this.shown = this.shown.filter((t) => t.expiresAt > now);
    let changed = this.shown.length !== before;
    if (this.folded && this.foldedUntil <= now) {
      this.folded = 0;
      changed = true;
    }
    return changed;
  }

  isLeaving(toast: Toast, now: number): boolean {
    return now >= toast.expiresAt - LEAVING_MS;
  }

  /** When the board next changes by itself (a toast starts leaving or expires), or undefined if it never will. */
  nextChangeAt(now: number): number | undefined {
    const times = this.shown.flatMap((t) => [t.expiresAt - LEAVING_MS, t.expiresAt]);
    if (this.folded) times.push(this.foldedUntil);
    const future = times.filter((t) => t > now);
    return future.length ? Math.min(...future) : undefined;
  }
}
