/**
 * `--instances N`: N copies of api, pricer, pricing and web, each HTTP/gRPC instance on its own ports; the
 * audit log stays one (one audit-log per file). Instance k (from 0) listens on each base port plus 10·k:
 * API 3000, 3010, …; live page 3001, 3011, …; price calculator 50051, 50061, … and 3002, 3012, ….
 * Each web instance links to the API instance of its own number; every pricer calls every price calculator.
 */
import type { DevApp, DevPlan } from "./apps.ts";

export const INSTANCE_PORT_STEP = 10;

/** The port variables each app listens on; the first is the one its readiness URL uses. */
const LISTENS: Record<string, string[]> = {
  pricing: ["PRICING_HTTP_PORT", "PRICING_PORT"],
  api: ["API_PORT"],
  web: ["WEB_PORT", "API_PORT"],
  pricer: [],
};

const withPort = (url: string, port: number) => url.replace(/^(\w+:\/\/[^/:]+):\d+/, `$1:${port}`);

export function expandInstances(plan: DevPlan, instances: number, env: Record<string, string | undefined>): DevPlan {
  if (instances === 1) return plan;
  const base = Object.fromEntries(plan.ports.map((p) => [p.variable, p.port]));
  const portOf = (variable: string, k: number) => base[variable]! + INSTANCE_PORT_STEP * k;
  const range = Array.from({ length: instances }, (_, k) => k);
  const local = plan.host === "0.0.0.0" ? "127.0.0.1" : plan.host;
  const pricingUrls = range.map((k) => `http://${local}:${portOf("PRICING_PORT", k)}`).join(",");

  const apps: DevApp[] = plan.apps.flatMap((app) => {
    const listens = LISTENS[app.name];
    if (!listens) return [app];
    return range.map((k) => {
      const own: Record<string, string> = { ...app.env };
      for (const variable of listens) own[variable] = String(portOf(variable, k));
      if (app.name === "pricer" && !env.PRICING_URL) own.PRICING_URL = pricingUrls;
      return {
        ...app,
        name: `${app.name}-${k + 1}`,
        env: own,
        readyUrl: app.readyUrl && withPort(app.readyUrl, portOf(listens[0]!, k)),
      };
    });
  });
  const scaled = new Set(Object.values(LISTENS).flat());
  return {
    ...plan,
    apps,
    ports: plan.ports.flatMap((p) => (scaled.has(p.variable) ? range.map((k) => ({ ...p, name: `${p.name} ${k + 1}`, port: portOf(p.variable, k) })) : [p])),
    // One line per thing, every instance's URL on it.
    urls: plan.urls.map((u) => (u.variable ? { ...u, url: range.map((k) => withPort(u.url, portOf(u.variable!, k))).join("  ") } : u)),
  };
}
