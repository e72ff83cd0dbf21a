import { connectNats, createLogger, loadConfigOrExit, onShutdown, startTracing } from "@forecourt/shared/platform";
import { startPricing } from "./app.ts";
import { loadConfig } from "./config.ts";

const config = loadConfigOrExit("pricing", loadConfig);
const tracing = await startTracing({ service: "pricing", ...config });
const log = createLogger({ service: "pricing", level: config.logLevel });
const nc = await connectNats({ url: config.natsUrl, auth: config.natsAuth, name: "forecourt-pricing", log });
const pricing = await startPricing({ nc, log, config });
// Stop serving, then leave NATS, then send the last spans.
onShutdown(log, [() => pricing.stop(), () => nc.drain(), () => tracing.stop()]);
