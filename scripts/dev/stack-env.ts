/**
 * The ports and folders of one `bun run dev` stack given to it through its environment, so that several stacks
 * (tests, the bench, workshop participants) run side by side on one machine: each gets free ports below 32768 and
 * folders of its own. The names are the variables scripts/dev.ts and the apps read.
 */
import { freePort } from "@forecourt/shared/testing";

export interface StackPorts {
  nats: number;
  monitor: number;
  api: number;
  web: number;
  pricing: number;
  pricingHttp: number;
  pricerMetrics: number;
  auditLogMetrics: number;
}

export interface StackDirs {
  storeDir: string;
  credentialsDir: string;
  auditLogPath: string;
}

export async function freeStackPorts(): Promise<StackPorts> {
  return {
    nats: await freePort(),
    monitor: await freePort(),
    api: await freePort(),
    web: await freePort(),
    pricing: await freePort(),
    pricingHttp: await freePort(),
    pricerMetrics: await freePort(),
    auditLogMetrics: await freePort(),
  };
}

/** The variables that put a stack on these ports and folders (without the rest of the environment). */
export function stackEnv(ports: StackPorts, dirs: StackDirs) {
  return {
    NATS_URL: `nats://127.0.0.1:${ports.nats}`,
    NATS_MONITOR_PORT: String(ports.monitor),
    NATS_STORE_DIR: dirs.storeDir,
    CREDENTIALS_DIR: dirs.credentialsDir,
    AUDIT_LOG_PATH: dirs.auditLogPath,
    API_PORT: String(ports.api),
    WEB_PORT: String(ports.web),
    PRICING_PORT: String(ports.pricing),
    PRICING_HTTP_PORT: String(ports.pricingHttp),
    PRICER_METRICS_PORT: String(ports.pricerMetrics),
    AUDIT_LOG_METRICS_PORT: String(ports.auditLogMetrics),
  };
}
