import { SERVICES } from "@forecourt/shared/contracts";
import { connectNats, createLogger, loadConfigOrExit, onShutdown, registerMicroService } from "@forecourt/shared/platform";
import { loadConfig } from "./config.ts";

const config = loadConfigOrExit("pricer", loadConfig);
const log = createLogger({ service: "pricer", level: config.logLevel });
const nc = await connectNats({ url: config.natsUrl, name: "forecourt-pricer", log });
const micro = await registerMicroService(nc, { name: SERVICES.pricer, version: "0.1.0", description: "Prices newly listed cars" });
log.info("ready", { nats: nc.getServer() });
onShutdown(log, [() => micro.stop(), () => nc.drain()]);
