import { connectNats, createLogger, loadConfigOrExit, onShutdown, startTracing } from "@forecourt/shared/platform";
import { startWeb } from "./app.ts";
import { loadConfig } from "./config.ts";

const config = loadConfigOrExit("web", loadConfig);
const tracing = await startTracing({ service: "web", ...config });
const log = createLogger({ service: "web", level: config.logLevel });
const nc = await connectNats({ url: config.natsUrl, auth: config.natsAuth, name: "forecourt-web", log });
const web = await startWeb({ nc, log, config });
onShutdown(log, [() => web.stop(), () => nc.drain(), () => tracing.stop()]);
