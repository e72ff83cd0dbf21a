import { resolve } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { SERVICES, STREAMS } from "@forecourt/shared/contracts";
import { connectNats, createLogger, createReadiness, ensureStreams, loadConfigOrExit, onShutdown, registerMicroService, streamDependency } from "@forecourt/shared/platform";
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
const jsm = await jetstreamManager(nc);
await ensureStreams(jsm);
const audit = await startAuditConsumer({
  nc, file, log,
  // The file can no longer be trusted to take lines: stop, so a restart resumes from what is on disk.
  onFatal: (error) => (log.error("audit file write failed", { path, error }), process.exit(1)),
});
const readiness = createReadiness({ nc, log, dependencies: [streamDependency(jsm, STREAMS.vehicles.name, { repair: () => ensureStreams(jsm) }), audit.dependency] });
const micro = await registerMicroService(nc, auditLogService(SERVICES.auditLog, path, audit.counters, readiness));
log.info("ready", { nats: nc.getServer(), path, service: SERVICES.auditLog, instance: micro.info().id });
onShutdown(log, [() => readiness.stop(), () => audit.stop(), () => micro.stop(), () => nc.drain(), () => file.close()]);
