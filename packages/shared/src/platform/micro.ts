/**
 * Registers an app as a NATS micro service, so `nats micro ls|info|stats` describe the running
 * system and `$SRV.PING` is answered by every app.
 */
import { Svcm, type Service, type ServiceHandler } from "@nats-io/services";
import type { NatsConnection } from "@nats-io/transport-node";

export interface MicroEndpoint {
  subject: string;
  handler: ServiceHandler;
  metadata?: Record<string, string>;
}

export interface MicroServiceOptions {
  name: string;
  version: string;
  description: string;
  metadata?: Record<string, string>;
  endpoints?: Record<string, MicroEndpoint>;
  /** Extra counters shown by `nats micro stats` under each endpoint's `data`. */
  stats?: () => unknown;
}

export async function registerMicroService(nc: NatsConnection, options: MicroServiceOptions): Promise<Service> {
  const service = await new Svcm(nc).add({
    name: options.name,
    version: options.version,
    description: options.description,
    metadata: options.metadata,
    statsHandler: options.stats ? async () => options.stats!() : undefined,
  });
  for (const [name, endpoint] of Object.entries(options.endpoints ?? {})) {
    service.addEndpoint(name, { subject: endpoint.subject, handler: endpoint.handler, metadata: endpoint.metadata });
  }
  return service;
}

/** An endpoint that answers any request with the app's counters as JSON (`nats req <subject> ''`). */
export function statusEndpoint(subject: string, stats: () => unknown): MicroEndpoint {
  return {
    subject,
    handler: (error, msg) => {
      if (error) return;
      msg.respond(JSON.stringify(stats()));
    },
  };
}
