import { connectNats, createLogger, loadConfigOrExit, onShutdown, serveMetrics, startTracing } from "@forecourt/shared/platform";
import { startAuditLog } from "./app.ts";
import { loadConfig } from "./config.ts";

const config = loadConfigOrExit("audit-log", loadConfig);
const tracing = await startTracing({ service: "audit-log", ...config });
const log = createLogger({ service: "audit-log", level: config.logLevel });
const metrics = serveMetrics({ host: config.host, port: config.metricsPort });
const nc = await connectNats({ url: config.natsUrl, auth: config.natsAuth, name: "forecourt-audit-log", log });
const auditLog = await startAuditLog({ nc, log, config, onFatal: () => process.exit(1), metricsUrl: metrics.url });
onShutdown(log, [() => auditLog.stop(), () => nc.drain(), () => metrics.stop(), () => tracing.stop()]);
