/**
 * Workshop mode end to end, all on this machine: a hub (in-process, as `bun run hub` runs it) and three participants,
 * each started with `bun run dev --join … --as …` on its own ports and store. carol runs without a price calculator.
 * What crosses is checked where people see it (the live WebSocket feed) and where it is kept (every VEHICLES stream
 * and every audit log), including across a 10 s hub outage.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstream } from "@nats-io/jetstream";
import { decodeEvent, parseVehicleSubject, STREAMS, SUBJECTS } from "@forecourt/shared/contracts";
import { createLogger } from "@forecourt/shared/platform";
import { freePort, readStream, waitFor } from "@forecourt/shared/testing";
import type { ServerMessage } from "../apps/web/src/protocol.ts";
import { startParticipantStack, type ParticipantStack } from "./hub/participant-stack.ts";
import { addParticipant } from "./hub/roster.ts";
import { startHub, type RunningHub } from "./hub/run-hub.ts";

const NAMES = ["alice", "bob", "carol"] as const;
type Name = (typeof NAMES)[number];
const dataDir = mkdtempSync(join(tmpdir(), "forecourt-workshop-hub-"));
let hub: RunningHub;
const stacks = {} as Record<Name, ParticipantStack>;
const sockets: WebSocket[] = [];

// Retries capped at 4 s, so a car listed during the outage is priced soon after the hub is back (the default cap, 30 s,
// only makes the wait longer); the default 10 deliveries then span more than a minute.
const PRICER_ENV = { PRICER_RETRY_MAX_MS: "4000" };

beforeAll(async () => {
  const leafPort = await freePort();
  const passwords = Object.fromEntries(NAMES.map((name) => [name, addParticipant(dataDir, name).entry.password]));
  hub = await startHub({ host: "127.0.0.1", leafPort, port: await freePort(), natsPort: await freePort(), monitorPort: await freePort(), dataDir, publicHost: "127.0.0.1", log: createLogger({ service: "hub", level: "error" }), tickMs: 500 });
  const started = await Promise.all(
    NAMES.map((name) =>
      startParticipantStack({ name, password: passwords[name]!, hubAddress: `127.0.0.1:${leafPort}`, flags: name === "carol" ? ["--without", "pricing"] : [], env: PRICER_ENV }),
    ),
  );
  for (const stack of started) stacks[stack.name as Name] = stack;
  for (const stack of started) expect(stack.output()).toContain(`hub: connected (participant ${stack.name}`);
  // Each VEHICLES sources the two others once the sync has seen their hub streams.
  await waitFor(async () => (await Promise.all(NAMES.map(async (name) => (await sourcesOf(name)).length === 2))).every(Boolean), { timeoutMs: 30_000, what: "every VEHICLES sourcing both other participants" });
}, 240_000);

afterAll(async () => {
  for (const ws of sockets) ws.close();
  await Promise.all(Object.values(stacks).map((stack) => stack.stop()));
  await hub?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

async function sourcesOf(name: Name): Promise<string[]> {
  const response = await fetch(`${stacks[name].monitorUrl}/jsz?accounts=true&streams=true&config=true`);
  const jsz = (await response.json()) as { account_details?: { stream_detail?: { name: string; config?: { sources?: { name: string }[] } }[] }[] };
  const vehicles = jsz.account_details?.flatMap((a) => a.stream_detail ?? []).find((s) => s.name === STREAMS.vehicles.name);
  return (vehicles?.config?.sources ?? []).map((s) => s.name).sort();
}

interface Feed {
  frames: ServerMessage[];
  vehicles(): Extract<ServerMessage, { type: "vehicle" }>[];
  /** performance.now() when each frame arrived. */
  receivedAt: Map<ServerMessage, number>;
}

async function openFeed(name: Name, subscribe: { manufacturer?: string | null; participant?: string | null } = {}): Promise<Feed> {
  const ws = new WebSocket(`${stacks[name].webUrl.replace("http", "ws")}/ws`);
  sockets.push(ws);
  const frames: ServerMessage[] = [];
  const receivedAt = new Map<ServerMessage, number>();
  ws.onmessage = (event) => {
    const frame = JSON.parse(String(event.data)) as ServerMessage;
    receivedAt.set(frame, performance.now());
    frames.push(frame);
  };
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  ws.send(JSON.stringify({ type: "subscribe", manufacturer: subscribe.manufacturer ?? null, participant: subscribe.participant ?? null, after: null }));
  await waitFor(() => frames.some((f) => f.type === "subscribed"), { what: `${name}'s feed to be subscribed` });
  return { frames, receivedAt, vehicles: () => frames.filter((f): f is Extract<ServerMessage, { type: "vehicle" }> => f.type === "vehicle") };
}

/** Lists a car through the participant's API; resolves to when the request was sent. */
async function list(name: Name, registration: string, modelCode = "ford-fiesta"): Promise<number> {
  const sentAt = performance.now();
  const response = await fetch(`${stacks[name].apiUrl}/api/vehicles`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${stacks[name].dealerKey}` },
    body: JSON.stringify({ registration, modelCode, color: "Blue", year: 2018 }),
  });
  expect(response.status).toBe(201);
  return sentAt;
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;

test("a car listed at alice reaches bob's and carol's live feeds with alice's name, and the welcome says who and whether linked", async () => {
  const [bob, carol] = await Promise.all([openFeed("bob"), openFeed("carol")]);
  expect(bob.frames.find((f) => f.type === "welcome")).toMatchObject({ participant: "bob", hub: "connected" });
  expect(carol.frames.find((f) => f.type === "welcome")).toMatchObject({ participant: "carol", hub: "connected" });
  const delays: number[] = [];
  for (let i = 1; i <= 5; i++) {
    const registration = `AX${i}`;
    const sentAt = await list("alice", registration);
    for (const feed of [bob, carol]) {
      const frame = await waitFor(() => feed.vehicles().find((v) => v.event === "listed" && v.vehicle.registration === registration), { timeoutMs: 15_000, what: `${registration} on a live feed` });
      expect(frame.origin).toBe("alice");
      delays.push(feed.receivedAt.get(frame)! - sentAt);
    }
  }
  console.log(`POST to alice's API → listed frame on bob's and carol's live sockets: p50 ${percentile(delays, 50).toFixed(0)} ms, max ${Math.max(...delays).toFixed(0)} ms over ${delays.length}`);
  // alice's own pricer priced them with alice's own calculator, and that crossed too.
  await waitFor(() => bob.vehicles().some((v) => v.event === "priced" && v.vehicle.registration === "AX5"), { timeoutMs: 15_000, what: "AX5's price at bob" });
  expect(bob.vehicles().find((v) => v.event === "priced" && v.vehicle.registration === "AX5")).toMatchObject({ origin: "alice", pricedBy: "alice" });
}, 60_000);

test("bob's manufacturer filter applies to alice's cars too, and a participant filter shows only that participant's", async () => {
  const fords = await openFeed("bob", { manufacturer: "ford" });
  const carolsOnly = await openFeed("bob", { participant: "carol" });
  const alicesFords = await openFeed("bob", { manufacturer: "ford", participant: "alice" });
  await list("alice", "AF1", "volkswagen-golf");
  await list("alice", "AF2", "ford-fiesta");
  await list("carol", "CF1", "ford-fiesta");
  await waitFor(() => ["AF2", "CF1"].every((r) => fords.vehicles().some((v) => v.event === "listed" && v.vehicle.registration === r)), { timeoutMs: 15_000, what: "both Fords on bob's ford feed" });
  await waitFor(() => carolsOnly.vehicles().some((v) => v.vehicle.registration === "CF1"), { timeoutMs: 15_000, what: "carol's car on bob's carol feed" });
  await waitFor(() => alicesFords.vehicles().some((v) => v.vehicle.registration === "AF2"), { timeoutMs: 15_000, what: "alice's Ford on bob's alice+ford feed" });
  await Bun.sleep(1_000);
  expect(fords.vehicles().some((v) => v.vehicle.registration === "AF1")).toBe(false);
  expect(fords.vehicles().every((v) => v.vehicle.manufacturerCode === "ford")).toBe(true);
  expect(carolsOnly.vehicles().every((v) => v.origin === "carol")).toBe(true);
  expect(alicesFords.vehicles().map((v) => v.vehicle.registration)).not.toContain("CF1");
  expect(alicesFords.vehicles().every((v) => v.origin === "alice" && v.vehicle.manufacturerCode === "ford")).toBe(true);
}, 60_000);

async function eventsIn(name: Name, filter: string = SUBJECTS.vehicles) {
  return (await readStream(jetstream(stacks[name].nc), STREAMS.vehicles.name, filter)).map((e) => ({ subject: e.subject, ...parseVehicleSubject(e.subject)!, registration: (JSON.parse(new TextDecoder().decode(e.data)) as { registration: string }).registration, data: e.data }));
}

test("carol runs without a price calculator: her car is priced once, by alice's or bob's, and says so", async () => {
  expect(stacks.carol.output()).toContain("none here (--without pricing)");
  await list("carol", "CP1");
  await waitFor(async () => (await eventsIn("carol", "forecourt.vehicles.priced.*.*.carol")).some((e) => e.registration === "CP1"), { timeoutMs: 30_000, what: "CP1 priced in carol's VEHICLES" });
  for (const name of NAMES) {
    await waitFor(async () => (await eventsIn(name, SUBJECTS.priced)).some((e) => e.registration === "CP1"), { timeoutMs: 15_000, what: `CP1's price at ${name}` });
  }
  // Time for a second price, if anything were to publish one.
  await Bun.sleep(2_000);
  for (const name of NAMES) {
    const priced = (await eventsIn(name, SUBJECTS.priced)).filter((e) => e.registration === "CP1");
    expect(priced).toHaveLength(1);
    expect(priced[0]!.origin).toBe("carol");
    const body = decodeEvent("priced", priced[0]!.data);
    expect(["alice", "bob"]).toContain(body.pricedBy);
    expect(body.price).toBeGreaterThan(0);
  }
  // carol's API records the price of her own car; alice's and bob's APIs keep serving only their own cars.
  await waitFor(async () => (await (await fetch(`${stacks.carol.apiUrl}/api/vehicles/CP1`)).json()).price, { timeoutMs: 15_000, what: "CP1's price on carol's API" });
  expect((await fetch(`${stacks.alice.apiUrl}/api/vehicles/CP1`)).status).toBe(404);
}, 90_000);

interface Tally {
  /** Copies per "<kind>.<origin>.<registration>". */
  copies: Map<string, number>;
  total: number;
}

const tally = (keys: string[]): Tally => {
  const copies = new Map<string, number>();
  for (const key of keys) copies.set(key, (copies.get(key) ?? 0) + 1);
  return { copies, total: keys.length };
};

async function streamTally(name: Name): Promise<Tally> {
  return tally((await eventsIn(name)).map((e) => `${e.kind}.${e.origin}.${e.registration}`));
}

function auditTally(name: Name): Tally {
  const path = stacks[name].auditLogPath;
  if (!existsSync(path)) return tally([]);
  const lines = readFileSync(path, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as { subject: string; registration: string });
  return tally(lines.map((l) => {
    const parsed = parseVehicleSubject(l.subject)!;
    return `${parsed.kind}.${parsed.origin}.${l.registration}`;
  }));
}

test("a 10 s hub outage while every participant lists 50 cars ends with every event everywhere exactly once, nothing re-priced", async () => {
  const prefix = { alice: "AO", bob: "BO", carol: "CO" } as const;
  const expected = NAMES.flatMap((name) => Array.from({ length: 50 }, (_, i) => [`listed.${name}.${prefix[name]}${i}`, `priced.${name}.${prefix[name]}${i}`])).flat();
  const bobsPage = await openFeed("bob");
  const hubFrames = () => bobsPage.frames.filter((f) => f.type === "hub").map((f) => (f as Extract<ServerMessage, { type: "hub" }>).hub);
  // Cars go in steadily, one per participant every 250 ms (about 12 s each); the hub dies 2 s in and is back 10 s later.
  const listing = Promise.all(
    NAMES.map(async (name) => {
      for (let i = 0; i < 50; i++) {
        await list(name, `${prefix[name]}${i}`);
        await Bun.sleep(250);
      }
    }),
  );
  await Bun.sleep(2_000);
  await hub.killServer();
  const downAt = performance.now();
  // Each stack keeps working, and says so: the runner's line and a hub frame to every open page.
  await waitFor(() => hubFrames().includes("disconnected"), { timeoutMs: 8_000, what: "a hub: disconnected frame on bob's page" });
  for (const name of NAMES) await waitFor(() => /dev\S* │ hub: disconnected \(participant /.test(stacks[name].output().replace(/\x1b\[[0-9;]*m/g, "")), { timeoutMs: 8_000, what: `${name}'s runner to report the hub down` });
  await Bun.sleep(Math.max(0, 10_000 - (performance.now() - downAt)));
  await hub.startServer();
  const backAt = performance.now();
  console.log(`hub down for ${((backAt - downAt) / 1000).toFixed(1)} s`);
  await listing;
  const listedAll = performance.now();
  await waitFor(() => hubFrames().at(-1) === "connected", { timeoutMs: 15_000, what: "a hub: connected frame on bob's page" });

  const complete = async (name: Name) => {
    const t = await streamTally(name);
    return expected.every((key) => t.copies.has(key));
  };
  await waitFor(async () => (await Promise.all(NAMES.map(complete))).every(Boolean), { timeoutMs: 120_000, intervalMs: 250, what: "every participant's 100 events in every VEHICLES" });
  const caughtUp = performance.now();
  console.log(`every event in every VEHICLES ${((caughtUp - backAt) / 1000).toFixed(1)} s after the hub came back (${((caughtUp - listedAll) / 1000).toFixed(1)} s after the last car was listed)`);
  // Give any late duplicate the chance to show up before counting.
  await Bun.sleep(3_000);
  for (const name of NAMES) {
    const stream = await streamTally(name);
    const duplicates = [...stream.copies].filter(([, n]) => n > 1);
    expect(duplicates).toEqual([]);
    for (const key of expected) expect(stream.copies.get(key)).toBe(1);
    await waitFor(() => auditTally(name).total >= stream.total, { timeoutMs: 30_000, what: `${name}'s audit log to catch up` });
    const audit = auditTally(name);
    expect([...audit.copies].filter(([, n]) => n > 1)).toEqual([]);
    expect(audit.total).toBe(stream.total);
    for (const key of expected) expect(audit.copies.get(key)).toBe(1);
  }
  // The status page saw everyone back and counts each participant's events.
  await waitFor(() => hub.status().participants.every((p) => p.link === "up"), { timeoutMs: 10_000, what: "every link up on the status page" });
  for (const row of hub.status().participants) expect(row.events).toBeGreaterThanOrEqual(100);
}, 240_000);
