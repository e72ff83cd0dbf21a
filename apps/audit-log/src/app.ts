/** The audit log, started on a NATS connection it is given (main.ts wires it). */
import { resolve } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { SERVICES, STREAMS } from "@forecourt/shared/contracts";
import { createReadiness, ensureStreams, registerMicroService, stopInOrder, streamDependency, type AppDeps, type RunningApp } from "@forecourt/shared/platform";
import { version } from "../package.json";
import { startAuditConsumer } from "./audit-consumer.ts";
import { openAuditFile } from "./audit-file.ts";
import type { AuditLogConfig } from "./config.ts";
import { auditLogService } from "./service.ts";

export interface AuditLogDeps extends AppDeps<AuditLogConfig> {
  /** The file can no longer be trusted to take lines: main.ts exits, so a restart resumes from what is on disk. */
  onFatal: (error: unknown) => void;
  /** Where main.ts serves this process's metrics (serveMetrics), named in the ready line. */
  metricsUrl?: string;
}

export async function startAuditLog({ nc, log, config, onFatal, metricsUrl }: AuditLogDeps): Promise<RunningApp> {
  const path = resolve(config.path);
  const { file, tornBytes } = await openAuditFile(path);
  log.info("audit file opened", { path, lastSequence: file.lastSequence, tornBytes });
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm, config.participant, { replicas: config.replicas });
  const audit = await startAuditConsumer({
    nc, file, log,
    onFatal: (error) => (log.error("audit file write failed", { path, error }), onFatal(error)),
  });
  const readiness = createReadiness({ nc, log, dependencies: [streamDependency(jsm, STREAMS.vehicles.name, { repair: async () => void (await ensureStreams(jsm, config.participant, { replicas: config.replicas })) }), audit.dependency] });
  const micro = await registerMicroService(nc, auditLogService({ name: SERVICES.auditLog, version, path, counters: audit.counters, readiness }));
  log.info("ready", { nats: nc.getServer(), path, service: SERVICES.auditLog, instance: micro.info().id, metrics: metricsUrl });
  // Stop taking events and finish the batch being written (its acks go out with the caller's drain), then close.
  return { stop: stopInOrder([() => readiness.stop(), () => audit.stop(), () => micro.stop(), () => file.close()]) };
}
