/** The audit log, started on a NATS connection it is given (main.ts wires it). */
import { resolve } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { SERVICES } from "@forecourt/shared/contracts";
import { ensureStreams, registerMicroService, stopInOrder, type AppDeps, type RunningApp } from "@forecourt/shared/platform";
import { version } from "../package.json";
import { startAuditConsumer } from "./audit-consumer.ts";
import { openAuditFile } from "./audit-file.ts";
import type { AuditLogConfig } from "./config.ts";
import { auditLogService } from "./service.ts";

export interface AuditLogDeps extends AppDeps<AuditLogConfig> {
  /** The file can no longer be trusted to take lines: main.ts exits, so a restart resumes from what is on disk. */
  onFatal: (error: unknown) => void;
}

export async function startAuditLog({ nc, log, config, onFatal }: AuditLogDeps): Promise<RunningApp> {
  const path = resolve(config.path);
  const { file, tornBytes } = await openAuditFile(path);
  log.info("audit file opened", { path, lastSequence: file.lastSequence, tornBytes });
  await ensureStreams(await jetstreamManager(nc), { replicas: config.replicas });
  const audit = await startAuditConsumer({
    nc, file, log,
    onFatal: (error) => (log.error("audit file write failed", { path, error }), onFatal(error)),
  });
  const micro = await registerMicroService(nc, auditLogService({ name: SERVICES.auditLog, version, path, counters: audit.counters }));
  log.info("ready", { nats: nc.getServer(), path, service: SERVICES.auditLog });
  // Stop taking events and finish the batch being written (its acks go out with the caller's drain), then close.
  return { stop: stopInOrder([() => audit.stop(), () => micro.stop(), () => file.close()]) };
}
