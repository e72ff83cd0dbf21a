/**
 * `--instances N`: N copies of api, pricer, pricing and web, each instance on its own ports; the audit log stays
 * one (one audit-log per file). Instance k (from 0) listens on each base port plus 10·k: API 3000, 3010, …; live
 * page 3001, 3011, …; price calculator 50051, 50061, … and 3002, 3012, …; pricer's metrics 3003, 3013, ….
 * Each web instance links to the API instance of its own number; every pricer calls every price calculator.
 * Every instance connects as its app's NATS user, and Prometheus (--observe) scrapes each under its app's job.
 */
import type { AppUser } from "@forecourt/shared/platform";
import type { DevApp, DevPlan } from "./apps.ts";

export const INSTANCE_PORT_STEP = 10;

/**
 * The ports each app listens on: the plan's port variable and the variable the app reads (the same but for the
 * pricer's METRICS_PORT); the first is the one its readiness URL uses.
 */
const LISTENS: Partial<Record<AppUser, [planVariable: string, appVariable: string][]>> = {
  pricing: [["PRICING_HTTP_PORT", "PRICING_HTTP_PORT"], ["PRICING_PORT", "PRICING_PORT"]],
  api: [["API_PORT", "API_PORT"]],
  web: [["WEB_PORT", "WEB_PORT"], ["API_PORT", "API_PORT"]],
  pricer: [["PRICER_METRICS_PORT", "METRICS_PORT"]],
};

const withPort = (url: string, port: number) => url.replace(/^(\w+:\/\/[^/:]+):\d+/, `$1:${port}`);

export function expandInstances(plan: DevPlan, instances: number, env: Record<string, string | undefined>): DevPlan {
  if (instances === 1) return plan;
  const base = Object.fromEntries(plan.ports.map((p) => [p.variable, p.port]));
  const portOf = (variable: string, k: number) => base[variable]! + INSTANCE_PORT_STEP * k;
  const range = Array.from({ length: instances }, (_, k) => k);
  const local = plan.host === "0.0.0.0" ? "127.0.0.1" : plan.host;
  const pricingUrls = base.PRICING_PORT === undefined ? undefined : range.map((k) => `http://${local}:${portOf("PRICING_PORT", k)}`).join(",");

  const apps: DevApp[] = plan.apps.flatMap((app) => {
    const listens = LISTENS[app.user];
    if (!listens) return [app];
    return range.map((k) => {
      const own: Record<string, string> = { ...app.env };
      for (const [planVariable, appVariable] of listens) own[appVariable] = String(portOf(planVariable, k));
      if (app.user === "pricer" && pricingUrls && !env.PRICING_URL) own.PRICING_URL = pricingUrls;
      return {
        ...app,
        name: `${app.name}-${k + 1}`,
        env: own,
        readyUrl: app.readyUrl && withPort(app.readyUrl, portOf(listens[0]![0], k)),
      };
    });
  });
  const scaled = new Set(Object.values(LISTENS).flatMap((l) => l.map(([planVariable]) => planVariable)));
  const scaledPorts = new Map(plan.ports.filter((p) => scaled.has(p.variable)).map((p) => [p.port, p.variable]));
  return {
    ...plan,
    apps,
    ports: plan.ports.flatMap((p) => (scaled.has(p.variable) ? range.map((k) => ({ ...p, name: `${p.name} ${k + 1}`, port: portOf(p.variable, k) })) : [p])),
    // One line per thing, every instance's URL on it.
    urls: plan.urls.map((u) => (u.variable ? { ...u, url: range.map((k) => withPort(u.url, portOf(u.variable!, k))).join("  ") } : u)),
    observe: plan.observe && {
      ...plan.observe,
      targets: plan.observe.targets.flatMap((t) => {
        const [host, port] = t.address.split(":") as [string, string];
        const variable = scaledPorts.get(Number(port));
        return variable ? range.map((k) => ({ ...t, address: `${host}:${portOf(variable, k)}` })) : [t];
      }),
    },
  };
}
