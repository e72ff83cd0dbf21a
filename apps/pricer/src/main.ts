import { connectNats, createLogger, loadConfigOrExit, onShutdown, serveMetrics, startTracing } from "@forecourt/shared/platform";
import { startPricer } from "./app.ts";
import { loadConfig } from "./config.ts";

const config = loadConfigOrExit("pricer", loadConfig);
const tracing = await startTracing({ service: "pricer", ...config });
const log = createLogger({ service: "pricer", level: config.logLevel });
const metrics = serveMetrics({ host: config.host, port: config.metricsPort });
const nc = await connectNats({ url: config.natsUrl, auth: config.natsAuth, name: "forecourt-pricer", log });
const pricer = await startPricer({ nc, log, config, metricsUrl: metrics.url });
// Stop taking messages first and finish the ones in flight, then drain NATS; metrics and spans last.
onShutdown(log, [() => pricer.stop(), () => nc.drain(), () => metrics.stop(), () => tracing.stop()]);
