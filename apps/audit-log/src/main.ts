import { SERVICES } from "@forecourt/shared/contracts";
import { connectNats, createLogger, loadConfigOrExit, onShutdown, registerMicroService } from "@forecourt/shared/platform";
import { loadConfig } from "./config.ts";

const config = loadConfigOrExit("audit-log", loadConfig);
const log = createLogger({ service: "audit-log", level: config.logLevel });
const nc = await connectNats({ url: config.natsUrl, name: "forecourt-audit-log", log });
const micro = await registerMicroService(nc, { name: SERVICES.auditLog, version: "0.1.0", description: "Appends every vehicle event to the audit trail" });
log.info("ready", { nats: nc.getServer() });
onShutdown(log, [() => micro.stop(), () => nc.drain()]);
