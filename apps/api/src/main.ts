import { connectNats, createLogger, loadConfigOrExit, onShutdown, startTracing } from "@forecourt/shared/platform";
import { startApi } from "./api.ts";
import { loadConfig } from "./config.ts";

const config = loadConfigOrExit("api", loadConfig);
const tracing = await startTracing({ service: "api", ...config });
const log = createLogger({ service: "api", level: config.logLevel });
const nc = await connectNats({ url: config.natsUrl, auth: config.natsAuth, name: "forecourt-api", log });
const api = await startApi({ nc, log, config });
// Stop intake first, drain NATS, then send the last spans.
onShutdown(log, [() => api.stop(), () => nc.drain(), () => tracing.stop()]);
