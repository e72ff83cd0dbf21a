/**
 * The live page: every frame is validated (frame-guard) and applied to the state as it arrives; the DOM
 * follows at most once per animation frame, patching only what changed. So a thousand cars a second cost a
 * thousand small state updates and sixty small DOM patches, and one bad frame costs one warning.
 */
import { PARTICIPANT_NAME } from "@forecourt/shared/contracts";
import { MANUFACTURER_CODE, type ClientMessage, type HubStatus, type ManufacturerOption } from "../protocol.ts";
import { connectFeed, type ConnectionState } from "./connection.ts";
import { createFeedMetrics, problemsText, shouldWarn } from "./feed-metrics.ts";
import { FeedState } from "./feed-state.ts";
import { parseServerFrame, type PageMessage } from "./frame-guard.ts";
import { setData, setHidden, setText } from "./dom.ts";
import { LinkPanelView } from "./link-panel-view.ts";
import { TableView } from "./table-view.ts";
import { ToastBoard } from "./toast-board.ts";
import { ToastView } from "./toast-view.ts";

const STATE_LABELS: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};
/** Past this many changed rows in one frame a flash tells nothing (the whole table is news) and costs paint. */
const MAX_FLASHING_ROWS = 3;
/** Vehicle frames may name makes the welcome did not; past this many the list stops growing. */
const MAX_MANUFACTURERS = 500;
/** Participants seen in frames; past this many the list stops growing. */
const MAX_PARTICIPANTS = 200;

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const connection = $<HTMLParagraphElement>("#connection");
const select = $<HTMLSelectElement>("#manufacturer");
const participantSelect = $<HTMLSelectElement>("#participant");
const hubIndicator = $<HTMLParagraphElement>("#hub");
const linkPanel = new LinkPanelView($<HTMLElement>("#link"));
const empty = $<HTMLParagraphElement>("#empty");
const summary = $<HTMLParagraphElement>("#summary");
const problems = $<HTMLParagraphElement>("#problems");

const metrics = createFeedMetrics();
(window as unknown as { __feedMetrics: typeof metrics }).__feedMetrics = metrics;
const state = new FeedState();
const board = new ToastBoard();
const table = new TableView($<HTMLTableSectionElement>("#vehicles tbody"));
const toastView = new ToastView($<HTMLElement>("#toasts"), $<HTMLElement>("#more-toasts"));
const manufacturers = new Map<string, string>();
const participants = new Set<string>();
/** This stack's participant (from the welcome): its cars read "you". */
let self: string | undefined;
let participantsStale = false;
/** Cars changed by live news since the last render, up to one past the flashing limit (a hidden tab renders nothing). */
const liveChanged = new Set<string>();
let apiBaseUrl = "http://127.0.0.1:3000";
let send: ((message: ClientMessage) => void) | undefined;
// Frames still in flight from the previous filter arrive before "subscribed"; they are not ours.
let awaitingSubscribed = true;
let selectStale = false;
let renderRequested = false;
let timer: ReturnType<typeof setTimeout> | undefined;
let timerAt: number | undefined;
let problemCount = 0;

const requestedFilter = new URLSearchParams(location.search).get("manufacturer") ?? "";
const initialFilter = MANUFACTURER_CODE.test(requestedFilter) ? requestedFilter : "";
const requestedParticipant = new URLSearchParams(location.search).get("participant") ?? "";
const initialParticipant = PARTICIPANT_NAME.test(requestedParticipant) ? requestedParticipant : "";

function warn(text: string) {
  if (shouldWarn(++problemCount)) console.warn(`live feed: ${text}`);
}

function setConnection(next: ConnectionState) {
  connection.dataset.state = next;
  setText(connection.querySelector(".label")!, STATE_LABELS[next]);
}

function addManufacturers(options: ManufacturerOption[]) {
  for (const { code, name } of options) {
    if (manufacturers.get(code) === name || (!manufacturers.has(code) && manufacturers.size >= MAX_MANUFACTURERS)) continue;
    manufacturers.set(code, name);
    selectStale = true;
  }
}

function setHub(hub: HubStatus) {
  setHidden(hubIndicator, hub === "not-joined");
  setData(hubIndicator, "state", hub);
  setText(hubIndicator.querySelector(".label")!, `hub: ${hub}`);
}

function addParticipant(name: string | undefined) {
  if (name === undefined || participants.has(name) || participants.size >= MAX_PARTICIPANTS) return;
  participants.add(name);
  participantsStale = true;
}

function renderParticipants() {
  const current = participantSelect.value || initialParticipant;
  participantSelect.replaceChildren(new Option("Everyone", ""));
  for (const name of [...participants].sort()) participantSelect.add(new Option(name === self ? `${name} (you)` : name, name));
  participantSelect.value = participants.has(current) ? current : "";
  participantsStale = false;
}

function renderSelect() {
  const current = select.value || initialFilter;
  select.replaceChildren(new Option("All makes", ""));
  for (const [code, name] of [...manufacturers].sort((a, b) => a[1].localeCompare(b[1]))) select.add(new Option(name, code));
  select.value = manufacturers.has(current) ? current : "";
  selectStale = false;
}

function requestRender() {
  if (renderRequested) return;
  renderRequested = true;
  requestAnimationFrame(render);
}

/** One DOM patch for everything that arrived since the last animation frame. */
function render() {
  renderRequested = false;
  const now = performance.now();
  try {
    metrics.renders++;
    if (selectStale) renderSelect();
    if (participantsStale) renderParticipants();
    const flashing = liveChanged.size <= MAX_FLASHING_ROWS ? liveChanged : new Set<string>();
    const rows = table.render(state.cars, apiBaseUrl, flashing, (error) => {
      metrics.errors++;
      warn(`a row failed to render: ${String(error)}`);
    }, self);
    metrics.rowsCreated += rows.created;
    metrics.rowsUpdated += rows.updated;
    board.expire(now);
    toastView.render(board, now, apiBaseUrl, self);
    const count = state.cars.length;
    setHidden(empty, count > 0);
    const filter = select.value ? (manufacturers.get(select.value) ?? select.value) : "every make";
    const from = participantSelect.value ? ` · from ${participantSelect.value === self ? "you" : participantSelect.value}` : "";
    setText(summary, `${count} ${count === 1 ? "car" : "cars"} · ${filter}${from}`);
    const trouble = problemsText(metrics);
    setHidden(problems, !trouble);
    setText(problems, trouble);
  } catch (error) {
    metrics.errors++;
    warn(`render failed: ${String(error)}`);
  } finally {
    liveChanged.clear();
    scheduleToastChange(now);
  }
}

/** Toasts fade and go by the clock, not only when frames arrive. */
function scheduleToastChange(now: number) {
  const at = board.nextChangeAt(now);
  if (at === timerAt) return;
  clearTimeout(timer);
  timerAt = at;
  timer = at === undefined ? undefined : setTimeout(() => ((timerAt = undefined), requestRender()), at - now);
}

function receive(data: unknown): number | undefined {
  metrics.framesReceived++;
  const result = parseServerFrame(data);
  if (!result.ok) {
    metrics.framesSkipped++;
    warn(`frame skipped: ${result.reason}`);
    requestRender();
    return undefined;
  }
  if (result.problems.length) {
    metrics.framesRepaired++;
    warn(`shown with blanks: ${result.problems.join("; ")}`);
  }
  try {
    handle(result.message);
  } catch (error) {
    metrics.errors++;
    warn(`frame failed: ${String(error)}`);
  }
  requestRender();
  return result.message.type === "vehicle" ? result.message.seq : undefined;
}

function handle(message: PageMessage) {
  switch (message.type) {
    case "welcome":
      if (message.apiBaseUrl) apiBaseUrl = message.apiBaseUrl;
      addManufacturers(message.manufacturers);
      // Like the API address: a welcome without a valid name keeps the one the page had.
      if (message.participant !== undefined && message.participant !== self) {
        self = message.participant;
        participantsStale = true;
      }
      addParticipant(self);
      setHub(message.hub);
      linkPanel.show(message.linkControlUrl);
      return;
    case "hub":
      setHub(message.hub);
      return;
    case "subscribed":
      awaitingSubscribed = false;
      metrics.subscriptions++;
      return;
    case "vehicle": {
      if (awaitingSubscribed) return;
      const result = state.apply(message);
      if (!result.applied) return;
      metrics.framesApplied++;
      const { car } = message;
      // A frame without a display name (proto3 JSON leaves empty strings out) keeps the name the welcome gave.
      const code = car.manufacturerCode;
      if (code) addManufacturers([{ code, name: car.manufacturerName ?? manufacturers.get(code) ?? code }]);
      addParticipant(car.origin);
      // Old cars fill the table quietly; only news gets a toast (a price updates the car's toast if it is up).
      if (message.backlog) return;
      if (liveChanged.size <= MAX_FLASHING_ROWS) liveChanged.add(car.registration);
      if (message.event === "listed") {
        if (board.offer(result.row, performance.now()) === "folded") metrics.toastsFolded++;
      } else board.update(result.row);
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
  send?.({ type: "subscribe", manufacturer: select.value || null, participant: participantSelect.value || null, after: state.lastSeq || null });
}

/** A new filter: a clean slate, the filter in the URL (so a reload or a shared link keeps it), a new subscription. */
function onFilterChange(param: string, value: string) {
  state.reset();
  liveChanged.clear();
  requestRender();
  const url = new URL(location.href);
  if (value) url.searchParams.set(param, value);
  else url.searchParams.delete(param);
  history.replaceState(null, "", url);
  subscribe();
}

select.addEventListener("change", () => onFilterChange("manufacturer", select.value));
participantSelect.addEventListener("change", () => onFilterChange("participant", participantSelect.value));

if (initialFilter) addManufacturers([{ code: initialFilter, name: initialFilter }]);
addParticipant(initialParticipant || undefined);
render();
const scheme = location.protocol === "https:" ? "wss:" : "ws:";
connectFeed(`${scheme}//${location.host}/ws`, {
  onOpen(sender) {
    send = sender;
    subscribe();
  },
  onFrame: receive,
  onState: setConnection,
});
