import { connectNats, createLogger, loadConfigOrExit, onShutdown } from "@forecourt/shared/platform";
import { startAuditLog } from "./app.ts";
import { loadConfig } from "./config.ts";

const config = loadConfigOrExit("audit-log", loadConfig);
const log = createLogger({ service: "audit-log", level: config.logLevel });
const nc = await connectNats({ url: config.natsUrl, name: "forecourt-audit-log", log });
const auditLog = await startAuditLog({ nc, log, config, onFatal: () => process.exit(1) });
onShutdown(log, [() => auditLog.stop(), () => nc.drain()]);
