import { Elysia } from "elysia";
import { SERVICES } from "@forecourt/shared/contracts";
import { connectNats, createLogger, healthRoutes, isNatsReachable, loadConfigOrExit, onShutdown, registerMicroService } from "@forecourt/shared/platform";
import { loadConfig } from "./config.ts";

const config = loadConfigOrExit("api", loadConfig);
const log = createLogger({ service: "api", level: config.logLevel });
const nc = await connectNats({ url: config.natsUrl, name: "forecourt-api", log });
const micro = await registerMicroService(nc, { name: SERVICES.api, version: "0.1.0", description: "Dealer REST API" });
const app = new Elysia()
  .use(healthRoutes("api", { nats: () => isNatsReachable(nc) }))
  .listen({ hostname: config.host, port: config.port });
log.info("ready", { url: `http://${config.host}:${app.server!.port}` });
onShutdown(log, [() => app.stop(), () => micro.stop(), () => nc.drain()]);
