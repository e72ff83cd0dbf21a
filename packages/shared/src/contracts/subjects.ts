/**
 * Every subject, stream, bucket and consumer name, declared once.
 * Subjects follow forecourt.<entities>.<past tense>.<qualifiers>; names use only [A-Za-z0-9_-] (NATS naming).
 */
import { DEFAULT_PARTICIPANT } from "./participants.ts";

export const VEHICLE_EVENTS = ["listed", "updated", "removed", "priced"] as const;
export type VehicleEventKind = (typeof VEHICLE_EVENTS)[number];

export const SUBJECTS = {
  /** Everything Forecourt publishes: `nats sub 'forecourt.>'`. */
  all: "forecourt.>",
  /** Every participant's vehicle events; the filters below likewise match every origin. */
  vehicles: "forecourt.vehicles.>",
  listed: "forecourt.vehicles.listed.>",
  updated: "forecourt.vehicles.updated.>",
  removed: "forecourt.vehicles.removed.>",
  priced: "forecourt.vehicles.priced.>",
  deadLetter: "forecourt.deadletter.>",
  /** The price calculator's NATS micro service endpoint (request/reply, one queue group across a workshop hub). */
  getPrice: "forecourt.pricing.get-price",
} as const;

/**
 * forecourt.vehicles.<kind>.<manufacturerCode>.<modelCode>.<origin>: the origin participant is the last token, so
 * filters on the first ones (`forecourt.vehicles.listed.>`, `forecourt.vehicles.*.ford.>`) see every participant's
 * cars and a hub can allow each participant to publish only subjects ending in its own name.
 */
export function vehicleSubject(kind: VehicleEventKind, manufacturerCode: string, modelCode: string, origin: string): string {
  return `forecourt.vehicles.${kind}.${subjectToken(manufacturerCode)}.${subjectToken(modelCode)}.${subjectToken(origin)}`;
}

/** Subject tokens may not hold '.', '*', '>' or whitespace; catalog codes are kebab-case, so this only guards. */
export function subjectToken(value: string): string {
  return value.replace(/[.*>\s]/g, "_") || "_";
}

export interface VehicleFilterParts {
  kind?: VehicleEventKind;
  manufacturer?: string;
  model?: string;
  origin?: string;
}

/**
 * A subject filter over vehicle events; a part left out matches any value. Without an origin the filter ends in
 * `>` after its last given part (`forecourt.vehicles.*.ford.>`), so it also matches events stored before subjects
 * carried their origin.
 */
export function vehicleFilter(parts: VehicleFilterParts = {}): string {
  const tokens = [parts.kind, parts.manufacturer, parts.model, parts.origin].map((t) => (t === undefined ? undefined : subjectToken(t)));
  if (tokens[3] !== undefined) return `forecourt.vehicles.${tokens.map((t) => t ?? "*").join(".")}`;
  while (tokens.length && tokens[tokens.length - 1] === undefined) tokens.pop();
  return ["forecourt", "vehicles", ...tokens.map((t) => t ?? "*"), ">"].join(".");
}

export interface ParsedVehicleSubject {
  kind: VehicleEventKind;
  manufacturerCode: string;
  modelCode: string;
  origin: string;
}

/**
 * Parses forecourt.vehicles.<kind>.<manufacturer>.<model>.<origin>. A five-token subject (stored by a Forecourt
 * from before subjects carried their origin) reads as the default participant's.
 */
export function parseVehicleSubject(subject: string): ParsedVehicleSubject | undefined {
  const parts = subject.split(".");
  if ((parts.length !== 6 && parts.length !== 5) || parts[0] !== "forecourt" || parts[1] !== "vehicles") return undefined;
  const kind = parts[2] as VehicleEventKind;
  if (!VEHICLE_EVENTS.includes(kind)) return undefined;
  return { kind, manufacturerCode: parts[3]!, modelCode: parts[4]!, origin: parts[5] ?? DEFAULT_PARTICIPANT };
}

export const STREAMS = {
  /** Holds every participant's vehicle events: its own captured by subject (vehicleStreamSubjects), others' sourced from the hub. */
  vehicles: { name: "VEHICLES" },
  deadLetter: { name: "DEADLETTER", subjects: [SUBJECTS.deadLetter] },
} as const;

/** What VEHICLES captures directly: only its own participant's events (others arrive as sources, exactly once). */
export function vehicleStreamSubjects(participant: string): string[] {
  return [vehicleFilter({ origin: participant })];
}

/** The workshop hub's JetStream domain and its per-participant streams (`P_<name>`, sourcing that participant's VEHICLES). */
export const HUB = {
  domain: "hub",
  streamPrefix: "P_",
} as const;

export function hubStreamName(participant: string): string {
  return `${HUB.streamPrefix}${participant}`;
}

export const BUCKETS = {
  manufacturers: "catalog-manufacturers",
  models: "catalog-models",
  vehicles: "vehicles",
  /** Dealers who may write through the API, with their hashed keys (`bun run dealers`). */
  dealers: "dealers",
} as const;

export const CONSUMERS = {
  pricer: "pricer",
  auditLog: "audit-log",
  api: "api-prices",
} as const;

/**
 * The durable consumers of one participant's stack, declared once: scripts/setup creates them (as NATS user admin)
 * before the apps start, and each app binds to its own; the NATS permissions (platform/nats-permissions.ts) are
 * derived from their names too. The pricer and the API follow only their own participant's events.
 */
export function durables(participant: string) {
  return {
    pricer: { stream: STREAMS.vehicles.name, durable: CONSUMERS.pricer, filterSubject: vehicleFilter({ kind: "listed", origin: participant }), description: "Prices every listed car" },
    auditLog: { stream: STREAMS.vehicles.name, durable: CONSUMERS.auditLog, filterSubject: SUBJECTS.vehicles, description: "Appends every vehicle event to the audit file" },
    api: { stream: STREAMS.vehicles.name, durable: CONSUMERS.api, filterSubject: vehicleFilter({ kind: "priced", origin: participant }), description: "The API records each price on its vehicle" },
  } as const;
}

export const SERVICES = {
  api: "forecourt-api",
  pricing: "forecourt-pricing",
  pricer: "forecourt-pricer",
  auditLog: "forecourt-audit-log",
  web: "forecourt-web",
} as const;

/** Request-reply subjects each service answers under (its micro service endpoints): forecourt.<service>.… */
export const SERVICE_SUBJECTS = {
  api: "forecourt.api.>",
  pricing: "forecourt.pricing.>",
  pricer: "forecourt.pricer.>",
  auditLog: "forecourt.audit-log.>",
  web: "forecourt.web.>",
} as const;
