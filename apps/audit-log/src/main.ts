import { resolve } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { SERVICES } from "@forecourt/shared/contracts";
import { connectNats, createLogger, ensureStreams, loadConfigOrExit, onShutdown, registerMicroService } from "@forecourt/shared/platform";
import { startAuditConsumer } from "./audit-consumer.ts";
import { openAuditFile } from "./audit-file.ts";
import { loadConfig } from "./config.ts";
import { auditLogService } from "./service.ts";

const config = loadConfigOrExit("audit-log", loadConfig);
const log = createLogger({ service: "audit-log", level: config.logLevel });
const path = resolve(config.path);
const { file, tornBytes } = await openAuditFile(path);
log.info("audit file opened", { path, lastSequence: file.lastSequence, tornBytes });
const nc = await connectNats({ url: config.natsUrl, name: "forecourt-audit-log", log });
await ensureStreams(await jetstreamManager(nc), { replicas: config.replicas });
const audit = await startAuditConsumer({
  nc, file, log,
  // The file can no longer be trusted to take lines: stop, so a restart resumes from what is on disk.
  onFatal: (error) => (log.error("audit file write failed", { path, error }), process.exit(1)),
});
const micro = await registerMicroService(nc, auditLogService(SERVICES.auditLog, path, audit.counters));
log.info("ready", { nats: nc.getServer(), path, service: SERVICES.auditLog });
onShutdown(log, [() => audit.stop(), () => micro.stop(), () => nc.drain(), () => file.close()]);
