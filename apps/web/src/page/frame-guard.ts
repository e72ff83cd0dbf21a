/**
 * Every frame from /ws passes here before it touches the page's state or DOM. A frame the page cannot place
 * (not JSON, unknown type, no usable sequence, event kind or registration) is refused with a reason; a frame
 * with a bad field is kept with that field left out (shown as "—") and the field named in `problems`.
 * The server validates too; this guards the page against whatever it did not foresee.
 */
import { PARTICIPANT_NAME, type VehicleEventKind } from "@forecourt/shared/contracts";
import { MANUFACTURER_CODE, type HubStatus, type ManufacturerOption } from "../protocol.ts";

/** What the page shows of a car: only fields that passed their rule; `undefined` is shown as "—". */
export interface CarFields {
  registration: string;
  manufacturerCode?: string;
  manufacturerName?: string;
  modelCode?: string;
  modelName?: string;
  color?: string;
  year?: number;
  /** Set only with a valid `currencyCode`: a price is meaningless without its currency. */
  price?: number;
  currencyCode?: string;
  /** The participant whose stack listed the car (workshop mode); a name that fails the participant rule is left out. */
  origin?: string;
  /** Whose price calculator priced it (priced events, kept by later updates). */
  pricedBy?: string;
}

export interface VehicleFrame {
  seq: number;
  event: VehicleEventKind;
  backlog: boolean;
  car: CarFields;
}

export type PageMessage =
  | { type: "welcome"; apiBaseUrl?: string; manufacturers: ManufacturerOption[]; participant?: string; hub: HubStatus; linkControlUrl?: string }
  | { type: "hub"; hub: HubStatus }
  | { type: "subscribed" }
  | ({ type: "vehicle" } & VehicleFrame)
  | { type: "pong" }
  | { type: "error"; code: string; message: string };

export type GuardResult = { ok: true; message: PageMessage; problems: string[] } | { ok: false; reason: string };

const HUB_STATUSES = ["connected", "disconnected", "not-joined"] as const satisfies readonly HubStatus[];
const EVENTS = ["listed", "updated", "removed", "priced"] as const satisfies readonly VehicleEventKind[];
// Fails to compile when the contract gains an event kind this list does not know.
const EVERY_EVENT_LISTED: Exclude<VehicleEventKind, (typeof EVENTS)[number]> extends never ? true : never = true;
void EVERY_EVENT_LISTED;

/** The API's rule: 1 to 10 letters or digits, uppercase (apps/api vehicle-input.ts). */
const REGISTRATION = /^[A-Z0-9]{1,10}$/;
const MODEL_CODE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const CURRENCY_CODE = /^[A-Z]{3}$/;
export const MIN_YEAR = 1900;
/** Whole currency units: a car above a hundred million is a bad value, not a bargain. */
export const MAX_PRICE = 100_000_000;
export const MAX_NAME = 64;
export const MAX_COLOR = 32;
const MAX_MANUFACTURERS = 1_000;
const MAX_TEXT_INPUT = 4_096;
// C0/C1 controls, and the bidirectional and zero-width marks that can make text read differently than it is.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

const knownCurrencies: ReadonlySet<string> | undefined = (() => {
  try {
    return new Set(Intl.supportedValuesOf("currency"));
  } catch {
    return undefined;
  }
})();

export interface GuardOptions {
  /** For the year rule (no car from after next year). */
  now?: Date;
}

export function parseServerFrame(text: unknown, options: GuardOptions = {}): GuardResult {
  if (typeof text !== "string") return { ok: false, reason: "frame is not text" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: "frame is not JSON" };
  }
  if (!isRecord(value)) return { ok: false, reason: "frame is not a JSON object" };
  switch (value.type) {
    case "vehicle":
      return vehicleFrame(value, options.now ?? new Date());
    case "welcome":
      return welcomeFrame(value);
    case "hub": {
      const hub = hubStatusOf(value.hub);
      if (hub === undefined) return { ok: false, reason: `hub frame: status ${describe(value.hub)} is not connected, disconnected or not-joined` };
      return { ok: true, message: { type: "hub", hub }, problems: [] };
    }
    case "subscribed":
      return { ok: true, message: { type: "subscribed" }, problems: [] };
    case "pong":
      return { ok: true, message: { type: "pong" }, problems: [] };
    case "error":
      return {
        ok: true,
        message: { type: "error", code: cleanText(value.code, MAX_NAME) ?? "unknown", message: cleanText(value.message, 500) ?? "" },
        problems: [],
      };
    default:
      return { ok: false, reason: `unknown frame type ${describe(value.type)}` };
  }
}

function vehicleFrame(frame: Record<string, unknown>, now: Date): GuardResult {
  const { seq, event, vehicle } = frame;
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 1) return { ok: false, reason: `vehicle frame: seq ${describe(seq)} is not a stream sequence` };
  if (!EVENTS.includes(event as VehicleEventKind)) return { ok: false, reason: `vehicle frame ${seq}: unknown event ${describe(event)}` };
  if (!isRecord(vehicle)) return { ok: false, reason: `vehicle frame ${seq}: vehicle is not an object` };
  if (typeof vehicle.registration !== "string" || !REGISTRATION.test(vehicle.registration)) {
    return { ok: false, reason: `vehicle frame ${seq}: registration ${describe(vehicle.registration)} is not 1 to 10 capital letters or digits` };
  }
  const problems: string[] = [];
  const field = <T>(name: string, value: unknown, parsed: T | undefined, optional = false): T | undefined => {
    if (parsed === undefined && !(optional && (value === undefined || value === ""))) problems.push(`${name} ${describe(value)}`);
    return parsed;
  };
  const car: CarFields = { registration: vehicle.registration };
  setIfDefined(car, "manufacturerCode", field("manufacturerCode", vehicle.manufacturerCode, matching(vehicle.manufacturerCode, MANUFACTURER_CODE)));
  // Proto3 JSON leaves out empty strings, so a missing display name is allowed: the page falls back to the code.
  setIfDefined(car, "manufacturerName", field("manufacturerName", vehicle.manufacturerName, cleanText(vehicle.manufacturerName, MAX_NAME), true));
  setIfDefined(car, "modelCode", field("modelCode", vehicle.modelCode, matching(vehicle.modelCode, MODEL_CODE)));
  setIfDefined(car, "modelName", field("modelName", vehicle.modelName, cleanText(vehicle.modelName, MAX_NAME), true));
  setIfDefined(car, "color", field("color", vehicle.color, cleanText(vehicle.color, MAX_COLOR)));
  setIfDefined(car, "year", field("year", vehicle.year, yearOf(vehicle.year, now)));
  if (event === "priced" || vehicle.price !== undefined || vehicle.currencyCode !== undefined) {
    const price = field("price", vehicle.price, priceOf(vehicle.price));
    const currencyCode = field("currencyCode", vehicle.currencyCode, currencyOf(vehicle.currencyCode));
    if (price !== undefined && currencyCode !== undefined) Object.assign(car, { price, currencyCode });
  }
  // Stacks outside a workshop name themselves too ("local"), so every frame has an origin.
  setIfDefined(car, "origin", field("origin", frame.origin, matching(frame.origin, PARTICIPANT_NAME)));
  const pricedBy = frame.pricedBy ?? vehicle.pricedBy;
  if (event === "priced" || pricedBy !== undefined) setIfDefined(car, "pricedBy", field("pricedBy", pricedBy, matching(pricedBy, PARTICIPANT_NAME), true));
  return {
    ok: true,
    message: { type: "vehicle", seq, event: event as VehicleEventKind, backlog: frame.backlog === true, car },
    problems: problems.map((p) => `vehicle frame ${seq} (${car.registration}): ${p}`),
  };
}

function welcomeFrame(frame: Record<string, unknown>): GuardResult {
  const problems: string[] = [];
  const apiBaseUrl = httpUrl(frame.apiBaseUrl);
  if (apiBaseUrl === undefined) problems.push(`welcome: apiBaseUrl ${describe(frame.apiBaseUrl)} is not an http(s) URL`);
  const manufacturers: ManufacturerOption[] = [];
  const list = Array.isArray(frame.manufacturers) ? frame.manufacturers : [];
  if (!Array.isArray(frame.manufacturers)) problems.push(`welcome: manufacturers ${describe(frame.manufacturers)} is not a list`);
  let dropped = 0;
  for (const entry of list.slice(0, MAX_MANUFACTURERS)) {
    const code = isRecord(entry) ? matching(entry.code, MANUFACTURER_CODE) : undefined;
    if (code === undefined) dropped++;
    else manufacturers.push({ code, name: (isRecord(entry) && cleanText(entry.name, MAX_NAME)) || code });
  }
  dropped += Math.max(0, list.length - MAX_MANUFACTURERS);
  if (dropped) problems.push(`welcome: ${dropped} manufacturer(s) without a valid code left out`);
  const participant = matching(frame.participant, PARTICIPANT_NAME);
  if (participant === undefined) problems.push(`welcome: participant ${describe(frame.participant)} is not a participant name`);
  // An older server says nothing of a hub: not joined.
  const hub = frame.hub === undefined ? "not-joined" : hubStatusOf(frame.hub);
  if (hub === undefined) problems.push(`welcome: hub ${describe(frame.hub)} is not connected, disconnected or not-joined`);
  const linkControlUrl = frame.linkControlUrl === undefined ? undefined : httpUrl(frame.linkControlUrl);
  if (frame.linkControlUrl !== undefined && linkControlUrl === undefined) problems.push(`welcome: linkControlUrl ${describe(frame.linkControlUrl)} is not an http(s) URL`);
  const message: PageMessage = { type: "welcome", manufacturers, hub: hub ?? "not-joined" };
  if (apiBaseUrl !== undefined) message.apiBaseUrl = apiBaseUrl;
  if (participant !== undefined) message.participant = participant;
  if (linkControlUrl !== undefined) message.linkControlUrl = linkControlUrl;
  return { ok: true, message, problems };
}

/** Text as it may be shown: invisible and control characters removed, trimmed, cut at `max` characters with "…". */
export function cleanText(value: unknown, max: number): string | undefined {
  if (typeof value !== "string") return undefined;
  const cleaned = value.slice(0, MAX_TEXT_INPUT).replace(INVISIBLE, "").trim();
  if (!cleaned) return undefined;
  const characters = Array.from(cleaned);
  return characters.length <= max ? cleaned : `${characters.slice(0, max - 1).join("").trimEnd()}…`;
}

function matching(value: unknown, rule: RegExp): string | undefined {
  return typeof value === "string" && rule.test(value) ? value : undefined;
}

function hubStatusOf(value: unknown): HubStatus | undefined {
  return HUB_STATUSES.find((status) => status === value);
}

function yearOf(value: unknown, now: Date): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= MIN_YEAR && value <= now.getUTCFullYear() + 1 ? value : undefined;
}

/** A positive whole number of currency units up to MAX_PRICE; int64 may travel as a string (proto3 JSON). */
function priceOf(value: unknown): number | undefined {
  const price = typeof value === "string" && /^\d{1,12}$/.test(value) ? Number(value) : value;
  return typeof price === "number" && Number.isInteger(price) && price >= 1 && price <= MAX_PRICE ? price : undefined;
}

/** An ISO 4217 code this browser can format (three capitals, when it cannot list them). */
function currencyOf(value: unknown): string | undefined {
  if (typeof value !== "string" || !CURRENCY_CODE.test(value)) return undefined;
  return !knownCurrencies || knownCurrencies.has(value) ? value : undefined;
}

function httpUrl(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length > 2_048) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? value : undefined;
  } catch {
    return undefined;
  }
}

function setIfDefined<K extends keyof CarFields>(car: CarFields, key: K, value: CarFields[K] | undefined): void {
  if (value !== undefined) car[key] = value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A short, safe rendering of a bad value for a warning: never the whole of a huge string. */
function describe(value: unknown): string {
  if (value === undefined) return "missing";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  return Array.isArray(value) ? "(a list)" : `(${typeof value})`;
}
