import { connectNats, createLogger, loadConfigOrExit, onShutdown } from "@forecourt/shared/platform";
import { startWeb } from "./app.ts";
import { loadConfig } from "./config.ts";

const config = loadConfigOrExit("web", loadConfig);
const log = createLogger({ service: "web", level: config.logLevel });
const nc = await connectNats({ url: config.natsUrl, name: "forecourt-web", log });
const web = await startWeb({ nc, log, config });
onShutdown(log, [() => web.stop(), () => nc.drain()]);
