/** How the audit log shows itself to `nats micro ls|info|stats`: a status endpoint and its counters. */
import { statusEndpoint, type MicroServiceOptions, type Readiness } from "@forecourt/shared/platform";
import type { AuditCounters } from "./audit-consumer.ts";

export interface AuditLogServiceDeps {
  name: string;
  version: string;
  path: string;
  counters: AuditCounters;
  readiness: Pick<Readiness, "summary">;
}

export function auditLogService({ name, version, path, counters, readiness }: AuditLogServiceDeps): MicroServiceOptions {
  const stats = () => ({ ...counters, path, ...readiness.summary() });
  return {
    name,
    version,
    description: "Appends every vehicle event to a JSON-lines audit file: JetStream consumer 'audit-log'",
    metadata: { consumer: "audit-log", path },
    endpoints: {
      status: statusEndpoint("forecourt.audit-log.status", stats),
    },
    stats,
  };
}
