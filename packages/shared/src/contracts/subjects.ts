/**
 * Every subject, stream, bucket and consumer name, declared once.
 * Subjects follow forecourt.<entities>.<past tense>.<qualifiers>; names use only [A-Za-z0-9_-] (NATS naming).
 */
export const VEHICLE_EVENTS = ["listed", "updated", "removed", "priced"] as const;
export type VehicleEventKind = (typeof VEHICLE_EVENTS)[number];

export const SUBJECTS = {
  /** Everything Forecourt publishes: `nats sub 'forecourt.>'`. */
  all: "forecourt.>",
  vehicles: "forecourt.vehicles.>",
  listed: "forecourt.vehicles.listed.>",
  updated: "forecourt.vehicles.updated.>",
  removed: "forecourt.vehicles.removed.>",
  priced: "forecourt.vehicles.priced.>",
  deadLetter: "forecourt.deadletter.>",
} as const;

/** forecourt.vehicles.<kind>.<manufacturerCode>.<modelCode> */
export function vehicleSubject(kind: VehicleEventKind, manufacturerCode: string, modelCode: string): string {
  return `forecourt.vehicles.${kind}.${subjectToken(manufacturerCode)}.${subjectToken(modelCode)}`;
}

/** Subject tokens may not hold '.', '*', '>' or whitespace; catalog codes are kebab-case, so this only guards. */
export function subjectToken(value: string): string {
  return value.replace(/[.*>\s]/g, "_") || "_";
}

/** Parses forecourt.vehicles.<kind>.<manufacturer>.<model>. */
export function parseVehicleSubject(subject: string):
  | { kind: VehicleEventKind; manufacturerCode: string; modelCode: string }
  | undefined {
  const parts = subject.split(".");
  if (parts.length !== 5 || parts[0] !== "forecourt" || parts[1] !== "vehicles") return undefined;
  const kind = parts[2] as VehicleEventKind;
  if (!VEHICLE_EVENTS.includes(kind)) return undefined;
  return { kind, manufacturerCode: parts[3]!, modelCode: parts[4]! };
}

export const STREAMS = {
  vehicles: { name: "VEHICLES", subjects: [SUBJECTS.vehicles] },
  deadLetter: { name: "DEADLETTER", subjects: [SUBJECTS.deadLetter] },
} as const;

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
 * The durable consumers, declared once: scripts/setup creates them (as NATS user admin) before the apps start,
 * and each app binds to its own; the NATS permissions (platform/nats-permissions.ts) are derived from these too.
 */
export const DURABLES = {
  pricer: { stream: STREAMS.vehicles.name, durable: CONSUMERS.pricer, filterSubject: SUBJECTS.listed, description: "Prices every listed car" },
  auditLog: { stream: STREAMS.vehicles.name, durable: CONSUMERS.auditLog, filterSubject: SUBJECTS.vehicles, description: "Appends every vehicle event to the audit file" },
  api: { stream: STREAMS.vehicles.name, durable: CONSUMERS.api, filterSubject: SUBJECTS.priced, description: "The API records each price on its vehicle" },
} as const;

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
