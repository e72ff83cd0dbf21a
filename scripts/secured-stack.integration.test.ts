/**
 * Every app on a nats-server that requires credentials, as `bun run dev` runs them: each app as its own NATS user,
 * JetStream set up by admin beforehand. Each app does its job (a car listed through the API is priced, audited and
 * relayed to the live page) without one refused operation, and each user is refused what it must not do.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUCKETS, durables, encodeEvent, SERVICES, STREAMS, vehicleSubject, type VehiclePricedEvent } from "@forecourt/shared/contracts";
import { APP_USERS, isPermissionDenied, type NatsUser } from "@forecourt/shared/platform";
import { freePort, startApp, startSecuredNatsServer, waitFor, type AppProcess, type SecuredNatsServer } from "@forecourt/shared/testing";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { Svcm } from "@nats-io/services";
import { AuthorizationError, connect, type NatsConnection } from "@nats-io/transport-node";
import { ensureDealerKey, setupJetStream } from "./setup/jetstream-setup.ts";

let nats: SecuredNatsServer;
let admin: NatsConnection;
let dir: string;
let key: string;
const apps = new Map<string, AppProcess>();
const ports = { api: 0, web: 0, pricing: 0, pricingHttp: 0 };
const connections: NatsConnection[] = [];

async function as(user: NatsUser): Promise<NatsConnection> {
  const nc = await nats.connect(user);
  connections.push(nc);
  return nc;
}

beforeAll(async () => {
  nats = await startSecuredNatsServer();
  admin = await nats.connect("admin");
  await setupJetStream(admin);
  key = (await ensureDealerKey(admin, "autobarn")).key;
  dir = mkdtempSync(join(tmpdir(), "forecourt-secured-"));
  for (const name of Object.keys(ports) as (keyof typeof ports)[]) ports[name] = await freePort();
  const env = {
    API_PORT: String(ports.api),
    WEB_PORT: String(ports.web),
    PRICING_PORT: String(ports.pricing),
    PRICING_HTTP_PORT: String(ports.pricingHttp),
    DEMO_VEHICLES: "3",
    AUDIT_LOG_PATH: join(dir, "audit.jsonl"),
  };
  for (const user of ["pricing", "api", "pricer", "audit-log", "web"] as const) {
    apps.set(user, await startApp(`apps/${user}/src/main.ts`, { ...env, ...nats.env(user) }));
  }
}, 90_000);

afterAll(async () => {
  for (const app of [...apps.values()].reverse()) await app.kill();
  await Promise.all(connections.map((nc) => nc.close()));
  await admin?.close();
  await nats?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const api = (path: string, init: RequestInit = {}) => fetch(`http://127.0.0.1:${ports.api}${path}`, init);
const post = (body: unknown) =>
  api("/api/vehicles", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: JSON.stringify(body) });

describe("each app does its job as its own user", () => {
  test("a car listed through the API is priced (pricer, price calculator, api-prices), audited and relayed to the live page", async () => {
    expect((await post({ registration: "SEC1ABC", modelCode: "ford-fiesta", color: "Blue", year: 2015 })).status).toBe(201);
    const priced = await waitFor(async () => {
      const body = (await (await api("/api/vehicles/SEC1ABC")).json()) as { price?: { amount: number; currencyCode: string } };
      return body.price;
    }, { timeoutMs: 20_000, what: "the car's price" });
    expect(priced.currencyCode).toBe("GBP");
    expect(priced.amount).toBeGreaterThan(0);

    const audited = await waitFor(() => {
      const lines = readFileSync(join(dir, "audit.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { registration: string; kind: string });
      const kinds = lines.filter((l) => l.registration === "SEC1ABC").map((l) => l.kind);
      return kinds.includes("priced") ? kinds : undefined;
    }, { timeoutMs: 20_000, what: "the car's audit lines" });
    expect(audited).toEqual(["listed", "priced"]);

    const ws = new WebSocket(`ws://127.0.0.1:${ports.web}/ws`);
    const frames: { type: string; event?: string; vehicle?: { registration: string } }[] = [];
    ws.onmessage = (e) => frames.push(JSON.parse(String(e.data)));
    ws.onopen = () => ws.send(JSON.stringify({ type: "subscribe", manufacturer: "ford", after: null }));
    try {
      const relayed = await waitFor(() => {
        const events = frames.filter((f) => f.type === "vehicle" && f.vehicle?.registration === "SEC1ABC").map((f) => f.event);
        return events.includes("priced") ? events : undefined;
      }, { what: "the car on the live feed" });
      expect(relayed).toEqual(["listed", "priced"]);
    } finally {
      ws.close();
    }
  }, 60_000);

  test("the demo cars belong to the demo dealer, and the price calculator answers on NATS", async () => {
    const page = (await (await api("/api/vehicles?count=10")).json()) as { total: number; items: { registration: string }[] };
    expect(page.total).toBe(4);
    const owners = await Promise.all(page.items.map(async ({ registration }) => ((await (await api(`/api/vehicles/${registration}`)).json()) as { dealer: string }).dealer));
    expect(owners.sort()).toEqual(["autobarn", "demo", "demo", "demo"]);
    const inspector = await as("inspector");
    const reply = await inspector.request("forecourt.pricing.get-price", JSON.stringify({ modelCode: "ford-fiesta", color: "Blue", year: 2015 }), { timeout: 5_000 });
    expect(JSON.parse(reply.string())).toMatchObject({ currencyCode: "GBP" });
  });

  test("every app answers $SRV.PING, and none was refused anything or found its settings outdated", async () => {
    const client = new Svcm(await as("inspector")).client();
    const names: string[] = [];
    for await (const ping of await client.ping()) names.push(ping.name);
    expect(names.sort()).toEqual(Object.values(SERVICES).sort());
    for (const [name, app] of apps) {
      const refused = app.logs.filter((l) => JSON.stringify(l).includes("Permissions Violation") || String(l.msg).startsWith("settings differ"));
      expect({ name, refused }).toEqual({ name, refused: [] });
    }
  });
});

describe("each user is refused what it must not do", () => {
  const refused = async (what: Promise<unknown>) => {
    const error = await what.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isPermissionDenied(error)).toBe(true);
  };

  test("the web app may not publish a priced event", async () => {
    const forged: VehiclePricedEvent = {
      registration: "SEC1ABC", manufacturerCode: "ford", manufacturerName: "Ford", modelCode: "ford-fiesta", modelName: "Fiesta",
      color: "Blue", year: 2015, listedAt: new Date().toISOString(), price: 999_999_999, currencyCode: "GBP", pricedAt: new Date().toISOString(), pricedBy: "local",
    };
    await refused(jetstream(await as("web")).publish(vehicleSubject("priced", "ford", "ford-fiesta", "local"), encodeEvent("priced", forged)));
  });

  test("the pricer may not write the vehicles bucket, nor publish a listed event", async () => {
    const nc = await as("pricer");
    const kv = await new Kvm(jetstream(nc)).open(BUCKETS.vehicles);
    await refused(kv.put("FORGED1", JSON.stringify({ registration: "FORGED1" })));
    await refused(jetstream(nc).publish(vehicleSubject("listed", "ford", "ford-fiesta", "local"), "{}"));
  });

  test("no app may delete a stream, purge one, or delete another's durable", async () => {
    for (const user of APP_USERS) {
      const jsm = await jetstreamManager(await as(user));
      await refused(jsm.streams.delete(STREAMS.vehicles.name));
      await refused(jsm.streams.purge(`KV_${BUCKETS.vehicles}`));
      await refused(jsm.consumers.delete(durables("local").pricer.stream, durables("local").pricer.durable));
    }
    expect((await (await jetstreamManager(admin)).streams.info(STREAMS.vehicles.name)).config.name).toBe(STREAMS.vehicles.name);
  });

  test("the API may not publish priced events; audit-log and pricing may not write the catalog", async () => {
    await refused(jetstream(await as("api")).publish(vehicleSubject("priced", "ford", "ford-fiesta", "local"), "{}"));
    for (const user of ["audit-log", "pricing"] as const) {
      const kv = await new Kvm(jetstream(await as(user))).open(BUCKETS.models);
      await refused(kv.put("ford-fiesta", JSON.stringify({ basePrice: 1 })));
    }
  });

  test("the inspector reads but may not write a car or a dealer", async () => {
    const js = jetstream(await as("inspector"));
    await refused(new Kvm(js).open(BUCKETS.vehicles).then((kv) => kv.put("FORGED2", "{}")));
    await refused(new Kvm(js).open(BUCKETS.dealers).then((kv) => kv.put("mallory", "{}")));
  });

  test("an anonymous client and a wrong password are refused at connect", async () => {
    await expect(connect({ servers: nats.url, maxReconnectAttempts: 0 })).rejects.toBeInstanceOf(AuthorizationError);
    await expect(connect({ servers: nats.url, user: "api", pass: "wrong", maxReconnectAttempts: 0 })).rejects.toBeInstanceOf(AuthorizationError);
  });

  test("an app given a wrong password stops at once with one line naming its user", async () => {
    const app = await startApp("apps/audit-log/src/main.ts", { ...nats.env("audit-log"), NATS_PASSWORD: "wrong", AUDIT_LOG_PATH: join(dir, "other.jsonl") }, { waitReady: false });
    expect(await app.proc.exited).toBe(1);
    const line = app.logs.find((l) => l.msg === "nats refused the credentials");
    expect(line).toMatchObject({ level: "error", as: "audit-log" });
    expect(JSON.stringify(app.logs)).not.toContain("wrong");
  });
});
