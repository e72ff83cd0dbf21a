import { connectNats, createLogger, loadConfigOrExit, onShutdown } from "@forecourt/shared/platform";
import { startApi } from "./api.ts";
import { loadConfig } from "./config.ts";

const config = loadConfigOrExit("api", loadConfig);
const log = createLogger({ service: "api", level: config.logLevel });
const nc = await connectNats({ url: config.natsUrl, name: "forecourt-api", log });
const api = await startApi({ nc, log, config });
onShutdown(log, [() => api.stop(), () => nc.drain()]);
