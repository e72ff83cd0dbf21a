/**
 * The table of latest cars, patched rather than rebuilt: rows are kept by registration, a row whose CarRow
 * changed gets only its changed cells written, new rows are inserted and rows that left the state removed.
 * Removed rows' elements are reused for new cars, so a steady stream allocates (and collects) little.
 */
import type { CarRow } from "./feed-state.ts";
import { element, flash, setData, setText } from "./dom.ts";
import { describeVehicle, participantText, pricedByText, priceText, vehicleUrl, yearText, BLANK } from "./format.ts";

interface RowView {
  row: CarRow | undefined;
  apiBaseUrl: string;
  self: string | undefined;
  tr: HTMLTableRowElement;
  plate: HTMLAnchorElement;
  vehicle: HTMLTableCellElement;
  color: HTMLTableCellElement;
  year: HTMLTableCellElement;
  price: HTMLTableCellElement;
  origin: HTMLTableCellElement;
  badge: HTMLSpanElement;
  pricedBy: HTMLSpanElement;
}

const MAX_SPARE_ROWS = 64;

export interface TableRenderResult {
  created: number;
  updated: number;
}

export class TableView {
  private readonly views = new Map<string, RowView>();
  private readonly spare: RowView[] = [];

  constructor(private readonly tbody: HTMLTableSectionElement) {}

  /**
   * Makes the table show `rows` in order. Rows in `flashing` (changed by live news since the last render)
   * flash. A row that fails to render is reported through `onError` and left out; the others still render.
   * `self` is the page's own participant, whose cars read "you".
   */
  render(rows: readonly CarRow[], apiBaseUrl: string, flashing: ReadonlySet<string>, onError: (error: unknown) => void, self?: string): TableRenderResult {
    const result = { created: 0, updated: 0 };
    const wanted = new Set<string>();
    // Everything before `cursor` is already in its place; rows are moved or inserted before it.
    let cursor = this.tbody.firstChild;
    for (const row of rows) {
      const registration = row.car.registration;
      try {
        let view = this.views.get(registration);
        if (!view) {
          view = this.spare.pop() ?? createRowView(apiBaseUrl);
          this.views.set(registration, view);
          result.created++;
        } else if (view.row !== row || view.apiBaseUrl !== apiBaseUrl || view.self !== self) result.updated++;
        if (view.row !== row || view.apiBaseUrl !== apiBaseUrl || view.self !== self) patchRow(view, row, apiBaseUrl, self);
        if (flashing.has(registration)) flash(view.tr);
        wanted.add(registration);
        if (view.tr === cursor) cursor = cursor.nextSibling;
        else this.tbody.insertBefore(view.tr, cursor);
      } catch (error) {
        onError(error);
      }
    }
    for (const [registration, view] of this.views) {
      if (wanted.has(registration)) continue;
      view.tr.remove();
      this.views.delete(registration);
      // Re-inserted, an element replays its CSS animation: a reused row must not flash for its old car.
      delete view.tr.dataset.flash;
      view.row = undefined;
      if (this.spare.length < MAX_SPARE_ROWS) this.spare.push(view);
    }
    return result;
  }
}

function createRowView(apiBaseUrl: string): RowView {
  const tr = element("tr");
  const reg = element("td", "reg");
  const plate = element("a", "plate");
  reg.append(plate);
  const vehicle = element("td", "vehicle");
  const color = element("td", "color");
  const year = element("td", "year");
  const price = element("td", "num price");
  const origin = element("td", "origin");
  const status = element("td", "status");
  const badge = element("span", "badge");
  const pricedBy = element("span", "priced-by");
  status.append(badge, pricedBy);
  tr.append(reg, vehicle, color, year, price, origin, status);
  return { row: undefined, apiBaseUrl, self: undefined, tr, plate, vehicle, color, year, price, origin, badge, pricedBy };
}

function patchRow(view: RowView, row: CarRow, apiBaseUrl: string, self: string | undefined): void {
  const { car, status } = row;
  setData(view.tr, "registration", car.registration);
  setData(view.tr, "status", status);
  setText(view.plate, car.registration);
  const href = vehicleUrl(apiBaseUrl, car.registration);
  if (view.plate.getAttribute("href") !== href) view.plate.href = href;
  // Cells cut long text with an ellipsis; the title holds all of it.
  const vehicle = describeVehicle(car);
  setText(view.vehicle, vehicle);
  if (view.vehicle.title !== vehicle) view.vehicle.title = vehicle;
  setText(view.color, car.color ?? BLANK);
  if (view.color.title !== (car.color ?? "")) view.color.title = car.color ?? "";
  setData(view.color, "year", yearText(car));
  setText(view.year, yearText(car));
  setText(view.price, priceText(car));
  setText(view.badge, status);
  const badgeClass = `badge badge-${status}`;
  if (view.badge.className !== badgeClass) view.badge.className = badgeClass;
  // The cell reads "priced by bob": the badge's word, then this.
  const by = pricedByText(car, status, self);
  setText(view.pricedBy, by && ` ${by}`);
  if (view.pricedBy.title !== by) view.pricedBy.title = by;
  const origin = participantText(car.origin, self);
  setText(view.origin, origin);
  setData(view.origin, "self", String(car.origin !== undefined && car.origin === self));
  if (view.origin.title !== (car.origin ?? "")) view.origin.title = car.origin ?? "";
  view.row = row;
  view.apiBaseUrl = apiBaseUrl;
  view.self = self;
}
