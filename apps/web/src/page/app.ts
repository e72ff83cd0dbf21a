/** The live page: wires the feed connection to the table, the toasts, the filter and the indicator. */
import type { ClientMessage, ManufacturerOption, ServerMessage } from "../protocol.ts";
import { connectFeed, type ConnectionState } from "./connection.ts";
import { FeedState, type CarRow } from "./feed-state.ts";
import { describeVehicle, formatPrice, toastText, vehicleUrl } from "./format.ts";

const TOAST_MS = 8_000;
const STATE_LABELS: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const connection = $<HTMLParagraphElement>("#connection");
const select = $<HTMLSelectElement>("#manufacturer");
const tbody = $<HTMLTableSectionElement>("#vehicles tbody");
const empty = $<HTMLParagraphElement>("#empty");
const summary = $<HTMLParagraphElement>("#summary");
const toasts = $<HTMLElement>("#toasts");

const state = new FeedState();
const manufacturers = new Map<string, string>();
const toastByRegistration = new Map<string, HTMLAnchorElement>();
let apiBaseUrl = "http://127.0.0.1:3000";
let send: ((message: ClientMessage) => void) | undefined;
// Frames still in flight from the previous filter arrive before "subscribed"; they are not ours.
let awaitingSubscribed = true;

const initialFilter = new URLSearchParams(location.search).get("manufacturer") ?? "";

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function setConnection(next: ConnectionState) {
  connection.dataset.state = next;
  connection.querySelector(".label")!.textContent = STATE_LABELS[next];
}

function addManufacturers(options: ManufacturerOption[]) {
  let changed = false;
  for (const { code, name } of options) {
    if (manufacturers.get(code) === name) continue;
    manufacturers.set(code, name);
    changed = true;
  }
  if (!changed) return;
  const current = select.value || initialFilter;
  select.replaceChildren(new Option("All makes", ""));
  for (const [code, name] of [...manufacturers].sort((a, b) => a[1].localeCompare(b[1]))) select.add(new Option(name, code));
  select.value = manufacturers.has(current) ? current : "";
}

function renderRow(row: CarRow): HTMLTableRowElement {
  const v = row.vehicle;
  const tr = element("tr");
  tr.dataset.registration = v.registration;
  tr.dataset.status = row.status;
  const reg = element("td", "reg");
  const plate = element("a", "plate", v.registration);
  plate.href = vehicleUrl(apiBaseUrl, v.registration);
  reg.append(plate);
  const price = element("td", "num price", v.price === undefined ? "—" : formatPrice(v.price, v.currencyCode));
  const color = element("td", "color", v.color);
  color.dataset.year = String(v.year);
  const status = element("td", "status");
  status.append(element("span", `badge badge-${row.status}`, row.status));
  tr.append(
    reg,
    Object.assign(element("td", "vehicle", describeVehicle(v)), { title: v.manufacturerName }),
    color,
    element("td", "year", String(v.year)),
    price,
    status,
  );
  return tr;
}

function renderTable(changed?: string) {
  const rows = state.cars.map((row) => {
    const tr = renderRow(row);
    if (row.vehicle.registration === changed) tr.classList.add("flash");
    return tr;
  });
  tbody.replaceChildren(...rows);
  empty.hidden = rows.length > 0;
  const filter = select.value ? manufacturers.get(select.value) ?? select.value : "every make";
  summary.textContent = `${rows.length} ${rows.length === 1 ? "car" : "cars"} · ${filter}`;
}

function showToast(row: CarRow) {
  const v = row.vehicle;
  let toast = toastByRegistration.get(v.registration);
  if (toast) {
    toast.querySelector(".toast-text")!.textContent = toastText(v);
    toast.dataset.status = row.status;
    return;
  }
  toast = element("a", "toast");
  toast.href = vehicleUrl(apiBaseUrl, v.registration);
  toast.target = "_blank";
  toast.rel = "noopener";
  toast.dataset.status = row.status;
  toast.setAttribute("role", "alert");
  toast.append(element("span", "toast-text", toastText(v)));
  toasts.prepend(toast);
  toastByRegistration.set(v.registration, toast);
  const shown = toast;
  setTimeout(() => shown.classList.add("leaving"), TOAST_MS - 600);
  setTimeout(() => {
    shown.remove();
    if (toastByRegistration.get(v.registration) === shown) toastByRegistration.delete(v.registration);
  }, TOAST_MS);
}

function onMessage(message: ServerMessage) {
  switch (message.type) {
    case "welcome":
      apiBaseUrl = message.apiBaseUrl;
      addManufacturers(message.manufacturers);
      return;
    case "subscribed":
      awaitingSubscribed = false;
      renderTable();
      return;
    case "vehicle": {
      if (awaitingSubscribed) return;
      const result = state.apply(message);
      if (!result.applied) return;
      addManufacturers([{ code: message.vehicle.manufacturerCode, name: message.vehicle.manufacturerName || message.vehicle.manufacturerCode }]);
      renderTable(message.backlog ? undefined : message.vehicle.registration);
      // Old cars fill the table quietly; only news gets a toast (a price updates the car's toast if it is still up).
      if (!message.backlog && (message.event === "listed" || toastByRegistration.has(message.vehicle.registration))) showToast(result.row);
      return;
    }
    case "error":
      console.warn(`feed error: ${message.code}: ${message.message}`);
      return;
    case "pong":
      return;
  }
}

function subscribe() {
  awaitingSubscribed = true;
  send?.({ type: "subscribe", manufacturer: select.value || null, after: state.lastSeq || null });
}

select.addEventListener("change", () => {
  state.reset();
  renderTable();
  const url = new URL(location.href);
  if (select.value) url.searchParams.set("manufacturer", select.value);
  else url.searchParams.delete("manufacturer");
  history.replaceState(null, "", url);
  subscribe();
});

if (initialFilter) addManufacturers([{ code: initialFilter, name: initialFilter }]);
renderTable();
const scheme = location.protocol === "https:" ? "wss:" : "ws:";
connectFeed(`${scheme}//${location.host}/ws`, {
  onOpen(sender) {
    send = sender;
    subscribe();
  },
  onMessage,
  onState: setConnection,
});
