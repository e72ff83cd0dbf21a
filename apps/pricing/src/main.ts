import { connectNats, createLogger, loadConfigOrExit, onShutdown } from "@forecourt/shared/platform";
import { startPricing } from "./app.ts";
import { loadConfig } from "./config.ts";

const config = loadConfigOrExit("pricing", loadConfig);
const log = createLogger({ service: "pricing", level: config.logLevel });
const nc = await connectNats({ url: config.natsUrl, name: "forecourt-pricing", log });
const pricing = await startPricing({ nc, log, config });
onShutdown(log, [() => pricing.stop(), () => nc.drain()]);
