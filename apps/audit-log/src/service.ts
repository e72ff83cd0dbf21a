/** How the audit log shows itself to `nats micro ls|info|stats`: a status endpoint and its counters. */
import { statusEndpoint, type MicroServiceOptions, type Readiness } from "@forecourt/shared/platform";
import type { AuditCounters } from "./audit-consumer.ts";

export function auditLogService(name: string, path: string, counters: AuditCounters, readiness: Pick<Readiness, "summary">): MicroServiceOptions {
  const stats = () => ({ ...counters, path, ...readiness.summary() });
  return {
    name,
    version: "0.1.0",
    description: "Appends every vehicle event to a JSON-lines audit file: JetStream consumer 'audit-log'",
    metadata: { consumer: "audit-log", path },
    endpoints: {
      status: statusEndpoint("forecourt.audit-log.status", stats),
    },
    stats,
  };
}
