import { connectNats, createLogger, loadConfigOrExit, onShutdown } from "@forecourt/shared/platform";
import { startPricer } from "./app.ts";
import { loadConfig } from "./config.ts";

const config = loadConfigOrExit("pricer", loadConfig);
const log = createLogger({ service: "pricer", level: config.logLevel });
const nc = await connectNats({ url: config.natsUrl, name: "forecourt-pricer", log });
const pricer = await startPricer({ nc, log, config });
onShutdown(log, [() => pricer.stop(), () => nc.drain()]);
