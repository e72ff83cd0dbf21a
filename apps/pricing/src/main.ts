import { createServer } from "node:http2";
import { Elysia } from "elysia";
import { SERVICES } from "@forecourt/shared/contracts";
import { connectNats, createLogger, healthRoutes, isNatsReachable, loadConfigOrExit, onShutdown, registerMicroService } from "@forecourt/shared/platform";
import { loadConfig } from "./config.ts";

const config = loadConfigOrExit("pricing", loadConfig);
const log = createLogger({ service: "pricing", level: config.logLevel });
const nc = await connectNats({ url: config.natsUrl, name: "forecourt-pricing", log });
const micro = await registerMicroService(nc, { name: SERVICES.pricing, version: "0.1.0", description: "Price calculator" });
const h2c = createServer((_req, res) => res.writeHead(404).end());
await new Promise<void>((resolve) => h2c.listen(config.port, config.host, resolve));
const http = new Elysia()
  .use(healthRoutes("pricing", { nats: () => isNatsReachable(nc) }))
  .listen({ hostname: config.host, port: config.httpPort });
log.info("ready", { url: `http://${config.host}:${http.server!.port}`, h2c: `http://${config.host}:${config.port}` });
onShutdown(log, [() => new Promise((resolve) => h2c.close(resolve)), () => http.stop(), () => micro.stop(), () => nc.drain()]);
