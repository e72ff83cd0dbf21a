/**
 * A hub and two bare participant servers (no apps), joined exactly as `bun run dev --join` joins them: each event
 * crosses once, and a participant's credentials are refused everything the design forbids, checked from NATS itself.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { encodeEvent, HUB, hubStreamName, STREAMS, vehicleSubject, type VehicleListedEvent } from "@forecourt/shared/contracts";
import { createLogger } from "@forecourt/shared/platform";
import { countSubject, freePort, readStream, startNatsServer, waitFor, type TestNatsServer } from "@forecourt/shared/testing";
import { renderStackConfig } from "../dev/workshop-config.ts";
import { startSourcesSync, type SourcesSync } from "../dev/workshop-sources.ts";
import { addParticipant, loadRoster } from "./roster.ts";
import { startHub, type RunningHub } from "./run-hub.ts";
import { leafParticipant, type LeafzView } from "./status.ts";

const root = join(import.meta.dir, "../..");
const log = createLogger({ service: "hub-test", level: "error", write: () => {} });
const dataDir = mkdtempSync(join(tmpdir(), "forecourt-hub-"));
let hub: RunningHub;
let leafPort: number;
const leaves: Record<string, { server: TestNatsServer; nc: NatsConnection; sync: SourcesSync; store: string }> = {};
let admin: NatsConnection;

async function startParticipant(name: string, user = name, password = loadRoster(dataDir).participants.find((p) => p.name === name)?.password ?? "wrong") {
  const store = mkdtempSync(join(tmpdir(), `forecourt-${name}-`));
  const config = renderStackConfig({ base: readFileSync(join(root, "nats.conf"), "utf8"), storeDir: store, join: { participant: name, leafAddress: `127.0.0.1:${leafPort}`, user, password } });
  const server = await startNatsServer({ jetstream: false, monitor: true, config });
  return { server, store };
}

async function leafLinks(): Promise<string[]> {
  const leafz = (await (await fetch(`${hub.monitorUrl}/leafz?subs=1`)).json()) as LeafzView;
  return (leafz.leafs ?? []).map((l) => leafParticipant(l) ?? "?").sort();
}

const car = (registration: string): VehicleListedEvent => ({ registration, manufacturerCode: "ford", manufacturerName: "Ford", modelCode: "ford-fiesta", modelName: "Fiesta", color: "Blue", year: 2015, listedAt: new Date().toISOString() });

beforeAll(async () => {
  leafPort = await freePort();
  for (const name of ["alice", "bob"]) addParticipant(dataDir, name);
  hub = await startHub({ host: "127.0.0.1", leafPort, port: await freePort(), natsPort: await freePort(), monitorPort: await freePort(), dataDir, publicHost: "127.0.0.1", log, tickMs: 250 });
  admin = await connect(hub.admin);
  for (const name of ["alice", "bob"]) {
    const { server, store } = await startParticipant(name);
    const nc = await connect({ servers: server.url });
    leaves[name] = { server, nc, store, sync: undefined as unknown as SourcesSync };
  }
  await waitFor(async () => (await leafLinks()).join() === "alice,bob", { timeoutMs: 15_000, what: "both leaf links up" });
  for (const name of ["alice", "bob"]) {
    leaves[name]!.sync = await startSourcesSync({ nc: leaves[name]!.nc, participant: name, log, intervalMs: 500 });
    await leaves[name]!.sync.firstSync;
  }
}, 60_000);

afterAll(async () => {
  for (const leaf of Object.values(leaves)) {
    leaf.sync?.stop();
    await leaf.nc.close();
    await leaf.server.dispose();
    rmSync(leaf.store, { recursive: true, force: true });
  }
  await admin?.close();
  await hub?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const count = (name: string, subject: string) => jetstreamManager(leaves[name]!.nc).then((jsm) => countSubject(jsm, STREAMS.vehicles.name, subject));

test("a participant's event reaches the other participant's VEHICLES once, through its hub stream", async () => {
  await jetstream(leaves.alice!.nc).publish(vehicleSubject("listed", "ford", "ford-fiesta", "alice"), encodeEvent("listed", car("SEC001")), { msgID: "alice:SEC001" });
  await waitFor(async () => (await count("bob", "forecourt.vehicles.*.*.*.alice")) === 1, { timeoutMs: 15_000, what: "alice's event at bob" });
  expect(await countSubject(await jetstreamManager(admin), hubStreamName("alice"), "forecourt.vehicles.>")).toBe(1);
  await Bun.sleep(1_000);
  expect(await count("bob", "forecourt.vehicles.*.*.*.alice")).toBe(1);
  expect(await count("alice", "forecourt.vehicles.>")).toBe(1);
}, 30_000);

test("a participant cannot publish as another: its forged event reaches nobody and nothing stores it", async () => {
  const atHub: string[] = [];
  const atAlice: string[] = [];
  // The hub forwards bob's subjects to the admin; alice's server would store or forward anything ending in .alice.
  const subs = [admin.subscribe("forecourt.vehicles.*.*.*.bob", { callback: (_, m) => void atHub.push(m.subject) })];
  subs.push(admin.subscribe("forecourt.vehicles.*.*.*.alice", { callback: (_, m) => void atHub.push(m.subject) }));
  subs.push(leaves.alice!.nc.subscribe("forecourt.vehicles.>", { callback: (_, m) => void atAlice.push(m.subject) }));
  await admin.flush();
  await leaves.alice!.nc.flush();
  await waitFor(async () => {
    leaves.bob!.nc.publish(vehicleSubject("listed", "probe", "probe", "bob"), "probe");
    await leaves.bob!.nc.flush();
    await Bun.sleep(100);
    return atHub.includes("forecourt.vehicles.listed.probe.probe.bob") && atAlice.includes("forecourt.vehicles.listed.probe.probe.bob");
  }, { timeoutMs: 10_000, what: "bob's own subjects to reach the hub and alice" });
  leaves.bob!.nc.publish(vehicleSubject("listed", "ford", "ford-fiesta", "alice"), encodeEvent("listed", car("FORGED1")));
  leaves.bob!.nc.publish(vehicleSubject("listed", "ford", "ford-fiesta", "bob"), encodeEvent("listed", car("HONEST1")));
  await leaves.bob!.nc.flush();
  await waitFor(() => atHub.includes("forecourt.vehicles.listed.ford.ford-fiesta.bob") && atAlice.includes("forecourt.vehicles.listed.ford.ford-fiesta.bob"), { what: "bob's honest event, sent behind the forged one" });
  for (const sub of subs) sub.unsubscribe();
  expect(atHub).not.toContain("forecourt.vehicles.listed.ford.ford-fiesta.alice");
  expect(atAlice).not.toContain("forecourt.vehicles.listed.ford.ford-fiesta.alice");
  expect(await count("alice", "forecourt.vehicles.*.*.*.alice")).toBe(1);
  expect(await count("bob", "forecourt.vehicles.*.*.*.alice")).toBe(1);
  expect(await countSubject(await jetstreamManager(admin), hubStreamName("alice"), "forecourt.vehicles.>")).toBe(1);
}, 30_000);

test("a participant cannot slip a forged event into another's hub stream through the sourcing subjects it may use", async () => {
  // bob may publish and receive on $JS.S.> (his own sourcing needs it), so he sees every source delivery subject.
  const seen: { subject: string; reply: string }[] = [];
  const sniff = leaves.bob!.nc.subscribe("$JS.S.>", { callback: (_, m) => void seen.push({ subject: m.subject, reply: m.reply ?? "" }) });
  await leaves.bob!.nc.flush();
  await jetstream(leaves.alice!.nc).publish(vehicleSubject("listed", "ford", "ford-fiesta", "alice"), encodeEvent("listed", car("SEC002")), { msgID: "alice:SEC002" });
  await waitFor(() => seen.some((s) => s.reply.startsWith("$JS.ACK.VEHICLES.")) && seen.some((s) => s.subject.startsWith("$JS.S.")), { timeoutMs: 15_000, what: "a source delivery and a heartbeat seen by bob" });
  sniff.unsubscribe();
  // A delivery's reply names the source consumer and sequences: forge the next one on every delivery subject seen.
  const reply = seen.find((s) => s.reply.startsWith("$JS.ACK.VEHICLES."))!.reply.split(".");
  reply[6] = String(Number(reply[6]) + 1);
  reply[7] = String(Number(reply[7]) + 1);
  for (const subject of new Set(seen.filter((s) => s.subject.startsWith("$JS.S.")).map((s) => s.subject))) {
    leaves.bob!.nc.publish(subject, encodeEvent("listed", car("FORGED2")), { reply: reply.join(".") });
  }
  await leaves.bob!.nc.flush();
  await jetstream(leaves.alice!.nc).publish(vehicleSubject("listed", "ford", "ford-fiesta", "alice"), encodeEvent("listed", car("SEC003")), { msgID: "alice:SEC003" });
  await waitFor(async () => (await count("bob", "forecourt.vehicles.*.*.*.alice")) === 3, { timeoutMs: 15_000, what: "alice's next event at bob" });
  const hubJsm = await jetstreamManager(admin);
  const { state } = await hubJsm.streams.info(hubStreamName("alice"));
  const stored: string[] = [];
  for (let seq = state.first_seq; seq <= state.last_seq; seq++) stored.push((await hubJsm.streams.getMessage(hubStreamName("alice"), { seq }))!.json<{ registration: string }>().registration);
  expect(stored).toEqual(["SEC001", "SEC002", "SEC003"]);
  // Nothing of the forgery anywhere in bob's stream either (it also holds his own probes and honest event).
  const atBob = await readStream(jetstream(leaves.bob!.nc), STREAMS.vehicles.name, "forecourt.vehicles.>");
  expect(atBob.filter((m) => new TextDecoder().decode(m.data).includes("FORGED"))).toEqual([]);
  expect(atBob.every((m) => m.subject.startsWith("forecourt.vehicles."))).toBe(true);
}, 30_000);

test("a participant can neither delete nor purge a hub stream, nor change the hub's streams", async () => {
  const viaHub = await jetstreamManager(leaves.bob!.nc, { domain: HUB.domain, timeout: 2_000, checkAPI: false });
  // Listing and reading are allowed (that is how a participant learns the roster)...
  expect((await viaHub.streams.info(hubStreamName("alice"))).config.name).toBe(hubStreamName("alice"));
  // ...every change is refused: the hub never takes the request (the participant's server finds no responder).
  await expect(viaHub.streams.delete(hubStreamName("alice"))).rejects.toThrow();
  await expect(viaHub.streams.purge(hubStreamName("alice"))).rejects.toThrow();
  await expect(viaHub.streams.delete(hubStreamName("bob"))).rejects.toThrow();
  await expect(viaHub.streams.add({ name: "BOBS_OWN", subjects: ["bob.>"] })).rejects.toThrow();
  const hubJsm = await jetstreamManager(admin);
  const names: string[] = [];
  for await (const name of hubJsm.streams.names()) names.push(name);
  expect(names.sort()).toEqual([hubStreamName("alice"), hubStreamName("bob")]);
  expect(await countSubject(hubJsm, hubStreamName("alice"), "forecourt.vehicles.>")).toBe(3);
}, 30_000);

test("a participant cannot reach another participant's JetStream domain", async () => {
  const aliceDomain = await jetstreamManager(leaves.bob!.nc, { domain: "alice", timeout: 2_000, checkAPI: false });
  await expect(aliceDomain.streams.info(STREAMS.vehicles.name)).rejects.toThrow();
  await expect(aliceDomain.streams.delete(STREAMS.vehicles.name)).rejects.toThrow();
  // Alice's own domain answers her, so the refusal is the hub's, not a missing stream.
  const own = await jetstreamManager(leaves.alice!.nc, { domain: "alice", timeout: 2_000 });
  expect((await own.streams.info(STREAMS.vehicles.name)).config.name).toBe(STREAMS.vehicles.name);
}, 30_000);

/**
 * A leaf connection written by hand, with bob's credentials, that ignores the permissions the hub sends it: what a
 * participant could do instead of running nats-server. nats-server 2.9's hub relies on the leaf to enforce them.
 */
async function rogueLeaf(): Promise<{ send(subject: string, body: string, reply?: string): Promise<void>; close(): void }> {
  const { password } = loadRoster(dataDir).participants.find((p) => p.name === "bob")!;
  let received = "";
  const socket = await Bun.connect({ hostname: "127.0.0.1", port: leafPort, socket: { data: (_, chunk) => void (received += chunk.toString()) } });
  await waitFor(() => received.startsWith("INFO"), { what: "the hub's INFO" });
  socket.write(`CONNECT ${JSON.stringify({ user: "bob", pass: password, name: "rogue-bob", headers: true, verbose: false, pedantic: false })}\r\nPING\r\n`);
  await waitFor(() => received.includes("PONG"), { what: "the hub to accept the rogue leaf" });
  return {
    async send(subject, body, reply) {
      socket.write(`LMSG ${subject}${reply ? ` ${reply}` : ""} ${Buffer.byteLength(body)}\r\n${body}\r\n`);
      await Bun.sleep(500);
    },
    close: () => socket.end(),
  };
}

test("a hand-written leaf with bob's credentials cannot get a forged event stored as alice's: her leaf never takes her own origin from the hub", async () => {
  const rogue = await rogueLeaf();
  try {
    await rogue.send(vehicleSubject("listed", "ford", "ford-fiesta", "alice"), new TextDecoder().decode(encodeEvent("listed", car("FORGED3"))));
  } finally {
    rogue.close();
  }
  await jetstream(leaves.alice!.nc).publish(vehicleSubject("listed", "ford", "ford-fiesta", "alice"), encodeEvent("listed", car("SEC004")), { msgID: "alice:SEC004" });
  await waitFor(async () => (await count("bob", "forecourt.vehicles.*.*.*.alice")) === 4, { timeoutMs: 15_000, what: "alice's next event at bob" });
  for (const name of ["alice", "bob"]) {
    const stored = await readStream(jetstream(leaves[name]!.nc), STREAMS.vehicles.name, "forecourt.vehicles.>");
    expect(stored.filter((m) => new TextDecoder().decode(m.data).includes("FORGED"))).toEqual([]);
  }
  expect(await countSubject(await jetstreamManager(admin), hubStreamName("alice"), "forecourt.vehicles.>")).toBe(4);
}, 30_000);

test("a hub stream deleted by a hand-written leaf (nats-server 2.9 does not refuse it) is recreated by the hub, and every event still arrives once", async () => {
  const hubJsm = await jetstreamManager(admin);
  const before = (await hubJsm.streams.info(hubStreamName("alice"))).created;
  const rogue = await rogueLeaf();
  try {
    await rogue.send(`$JS.hub.API.STREAM.DELETE.${hubStreamName("alice")}`, "");
  } finally {
    rogue.close();
  }
  await waitFor(async () => (await hubJsm.streams.info(hubStreamName("alice")).catch(() => undefined))?.created !== before, { timeoutMs: 15_000, what: "P_alice to be recreated" });
  await waitFor(async () => (await countSubject(hubJsm, hubStreamName("alice"), "forecourt.vehicles.>")) === 4, { timeoutMs: 15_000, what: "P_alice to hold alice's events again" });
  await jetstream(leaves.alice!.nc).publish(vehicleSubject("listed", "ford", "ford-fiesta", "alice"), encodeEvent("listed", car("SEC005")), { msgID: "alice:SEC005" });
  await waitFor(async () => (await count("bob", "forecourt.vehicles.*.*.*.alice")) >= 5, { timeoutMs: 20_000, what: "alice's next event at bob" });
  await Bun.sleep(1_000);
  const atBob = (await readStream(jetstream(leaves.bob!.nc), STREAMS.vehicles.name, "forecourt.vehicles.*.*.*.alice")).map((m) => m.data);
  expect(atBob.map((d) => (JSON.parse(new TextDecoder().decode(d)) as { registration: string }).registration)).toEqual(["SEC001", "SEC002", "SEC003", "SEC004", "SEC005"]);
}, 60_000);

test("participant credentials are for leaf links only, and the admin's never work as a leaf link", async () => {
  const { password } = loadRoster(dataDir).participants.find((p) => p.name === "alice")!;
  await expect(connect({ servers: hub.admin.servers, user: "alice", pass: password, reconnect: false })).rejects.toThrow(/Authorization Violation/);
  const impostor = await startParticipant("mallory", "admin", loadRoster(dataDir).adminPassword);
  try {
    await Bun.sleep(2_500);
    expect(await leafLinks()).toEqual(["alice", "bob"]);
  } finally {
    await impostor.server.dispose();
    rmSync(impostor.store, { recursive: true, force: true });
  }
  const wrong = await startParticipant("bob", "bob", "not-the-password");
  try {
    await Bun.sleep(2_500);
    expect(await leafLinks()).toEqual(["alice", "bob"]);
  } finally {
    await wrong.server.dispose();
    rmSync(wrong.store, { recursive: true, force: true });
  }
}, 30_000);
