/**
 * A throwaway Forecourt for browser tests: its own nats-server (free port, temporary store) and every app,
 * on the ports given by E2E_* env vars (or free ones). Prints one line with the URLs when ready; SIGTERM stops all.
 */
import { freePort, startApp, startNatsServer, type AppProcess } from "@forecourt/shared/testing";

const ports = {
  api: Number(process.env.E2E_API_PORT ?? freePort()),
  web: Number(process.env.E2E_WEB_PORT ?? freePort()),
  pricing: Number(process.env.E2E_PRICING_PORT ?? freePort()),
  pricingHttp: Number(process.env.E2E_PRICING_HTTP_PORT ?? freePort()),
};
const nats = await startNatsServer();
const env = {
  NATS_URL: nats.url,
  API_PORT: String(ports.api),
  WEB_PORT: String(ports.web),
  PRICING_PORT: String(ports.pricing),
  PRICING_HTTP_PORT: String(ports.pricingHttp),
  AUDIT_LOG_PATH: `${nats.storeDir}/../audit-log.jsonl`,
};
const apps: AppProcess[] = [];
const stop = async () => {
  for (const app of apps.reverse()) await app.kill();
  await nats.dispose();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
try {
  for (const name of ["pricing", "api", "pricer", "audit-log", "web"]) apps.push(await startApp(`apps/${name}/src/main.ts`, env));
} catch (error) {
  console.error(`stack: ${String(error)}`);
  await stop();
}
console.log(`stack ready: nats=${nats.url} api=http://127.0.0.1:${ports.api} web=http://127.0.0.1:${ports.web}`);
