/**
 * The lab's machine room: a hub (in-process, as `bun run hub` runs it) and participants started as people start them
 * (`bun run dev --join … --as … --shape`, each its own nats-server, ports and store), each with a link shaper on its
 * leaf link and a live WebSocket feed opened by the lab. Shared by `bun run lab` and its integration tests.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { fetchStatus, sendOutage, sendSettings, type Address, type LinkStatus, type Outage, type SettingsChange } from "@forecourt/link-shaper";
import { parseVehicleSubject, STREAMS, SUBJECTS } from "@forecourt/shared/contracts";
import { createLogger } from "@forecourt/shared/platform";
import { countSubject, freePort, readStream, waitFor } from "@forecourt/shared/testing";
import type { ServerMessage } from "../../apps/web/src/protocol.ts";
import { startParticipantStack, type ParticipantStack } from "../hub/participant-stack.ts";
import { addParticipant } from "../hub/roster.ts";
import { startHub, type RunningHub } from "../hub/run-hub.ts";

/** A listed car from another participant, as it arrived on a participant's live socket. */
export interface Delivery {
  receiver: string;
  origin: string;
  registration: string;
  /** performance.now() when the frame arrived. */
  at: number;
}

export interface LabParticipant {
  name: string;
  stack: ParticipantStack;
  control: Address;
  /** The participant's own price calculator (gRPC on h2c, Connect on HTTP/1.1); none with --without pricing. */
  pricing?: { grpcPort: number; httpPort: number };
  socket: WebSocket;
}

export interface Lab {
  hub: RunningHub;
  participants: LabParticipant[];
  /** Called for every listed frame of another participant's car on any participant's socket. */
  onDelivery(listener: (delivery: Delivery) => void): void;
  /** Applies settings (or an outage) to every participant's link. */
  shapeAll(change: SettingsChange): Promise<void>;
  outageAll(outage: Outage): Promise<void>;
  linkStatus(name: string): Promise<LinkStatus>;
  /** Lists a car through the participant's REST API; resolves to the HTTP status. */
  list(name: string, registration: string): Promise<number>;
  /** "<kind>.<origin>.<registration>" of every event in the participant's VEHICLES. */
  vehicleKeys(name: string): Promise<string[]>;
  /** Messages in the participant's DEADLETTER stream (0 when it has none). */
  deadLetters(name: string): Promise<number>;
  stop(): Promise<void>;
}

export interface LabOptions {
  names: readonly string[];
  /** Participants started with --without pricing (their pricer asks over NATS, across the hub). */
  withoutPricing?: readonly string[];
  /** Participants without a link shaper (default: every participant has one). */
  unshaped?: readonly string[];
}

// Retries capped at 4 s, so a car listed during an outage is priced soon after the link is back. A remote price
// request waits behind whatever is queued on two shaped links (at 64 kbit/s, 20 kB is 2.5 s): 10 s instead of the
// default 2 s before the pricer gives up on one (with 2 s, a timed-out first try sat out the 30 s ack wait on 2.9).
// The ack wait must exceed that timeout (the pricer refuses to start otherwise; its default is now 5 s).
const PRICER_ENV = { PRICER_RETRY_MAX_MS: "4000", PRICING_TIMEOUT_MS: "10000", PRICER_ACK_WAIT_MS: "15000" };

export async function startLab(options: LabOptions): Promise<Lab> {
  const dataDir = mkdtempSync(join(tmpdir(), "forecourt-lab-hub-"));
  const leafPort = await freePort();
  const listeners: ((d: Delivery) => void)[] = [];
  const participants: LabParticipant[] = [];
  let hub: RunningHub | undefined;
  const stop = async () => {
    for (const p of participants) p.socket.close();
    await Promise.all(participants.map((p) => p.stack.stop()));
    await hub?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const passwords = Object.fromEntries(options.names.map((name) => [name, addParticipant(dataDir, name).entry.password]));
    hub = await startHub({ host: "127.0.0.1", leafPort, port: await freePort(), natsPort: await freePort(), monitorPort: await freePort(), dataDir, publicHost: "127.0.0.1", log: createLogger({ service: "hub", level: "error" }), tickMs: 500 });
    const started = await Promise.all(
      options.names.map(async (name) => {
        const withPricing = !options.withoutPricing?.includes(name);
        const shaped = !options.unshaped?.includes(name);
        const ports = { link: await freePort(), control: await freePort(), grpc: await freePort(), http: await freePort() };
        const stack = await startParticipantStack({
          name,
          password: passwords[name]!,
          hubAddress: `127.0.0.1:${leafPort}`,
          flags: [...(shaped ? ["--shape"] : []), ...(withPricing ? [] : ["--without", "pricing"])],
          env: { ...PRICER_ENV, LINK_PORT: String(ports.link), LINK_CONTROL_PORT: String(ports.control), PRICING_PORT: String(ports.grpc), PRICING_HTTP_PORT: String(ports.http) },
        });
        return { name, stack, control: { host: "127.0.0.1", port: ports.control }, ...(withPricing ? { pricing: { grpcPort: ports.grpc, httpPort: ports.http } } : {}) };
      }),
    );
    for (const p of started) participants.push({ ...p, socket: await openFeed(p.name, p.stack, (d) => listeners.forEach((l) => l(d))) });
    // Each VEHICLES sources every other participant once the sync has seen their hub streams.
    await waitFor(async () => (await Promise.all(participants.map(async (p) => (await sourceCount(p.stack)) === options.names.length - 1))).every(Boolean), {
      timeoutMs: 60_000,
      what: "every VEHICLES sourcing every other participant",
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const byName = (name: string) => participants.find((p) => p.name === name) ?? (() => { throw new Error(`no participant ${name}`); })();
  const shaped = participants.filter((p) => !options.unshaped?.includes(p.name));
  return {
    hub,
    participants,
    onDelivery: (listener) => void listeners.push(listener),
    async shapeAll(change) {
      await Promise.all(shaped.map((p) => sendSettings(p.control, toBody(change))));
      if (change.outage) await Promise.all(shaped.map((p) => sendOutage(p.control, change.outage!)));
    },
    async outageAll(outage) {
      await Promise.all(shaped.map((p) => sendOutage(p.control, outage)));
    },
    linkStatus: (name) => fetchStatus(byName(name).control),
    async list(name, registration) {
      const { stack } = byName(name);
      const response = await fetch(`${stack.apiUrl}/api/vehicles`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${stack.dealerKey}` },
        body: JSON.stringify({ registration, modelCode: "ford-fiesta", color: "Blue", year: 2018 }),
      });
      await response.arrayBuffer();
      return response.status;
    },
    async vehicleKeys(name) {
      const events = await readStream(jetstream(byName(name).stack.nc), STREAMS.vehicles.name, SUBJECTS.vehicles);
      return events.map((e) => {
        const subject = parseVehicleSubject(e.subject)!;
        const { registration } = JSON.parse(new TextDecoder().decode(e.data)) as { registration: string };
        return `${subject.kind}.${subject.origin}.${registration}`;
      });
    },
    async deadLetters(name) {
      const jsm = await jetstreamManager(byName(name).stack.nc);
      return countSubject(jsm, STREAMS.deadLetter.name, SUBJECTS.deadLetter).catch(() => 0);
    },
    stop,
  };
}

/** The control API takes per-direction settings only through `direction`: both directions get the `up` values. */
function toBody(change: SettingsChange) {
  const d = change.up ?? {};
  return { direction: "both" as const, latency: d.latencyMs ?? 0, jitter: d.jitterMs ?? 0, bandwidth: d.bandwidthBps ?? 0 };
}

async function sourceCount(stack: ParticipantStack): Promise<number> {
  const response = await fetch(`${stack.monitorUrl}/jsz?accounts=true&streams=true&config=true`);
  const jsz = (await response.json()) as { account_details?: { stream_detail?: { name: string; config?: { sources?: unknown[] } }[] }[] };
  const vehicles = jsz.account_details?.flatMap((a) => a.stream_detail ?? []).find((s) => s.name === STREAMS.vehicles.name);
  return vehicles?.config?.sources?.length ?? 0;
}

async function openFeed(name: string, stack: ParticipantStack, deliver: (d: Delivery) => void): Promise<WebSocket> {
  const ws = new WebSocket(`${stack.webUrl.replace("http", "ws")}/ws`);
  let subscribed = false;
  ws.onmessage = (event) => {
    const frame = JSON.parse(String(event.data)) as ServerMessage;
    if (frame.type === "subscribed") subscribed = true;
    if (frame.type === "vehicle" && frame.event === "listed" && !frame.backlog && frame.origin !== name) deliver({ receiver: name, origin: frame.origin, registration: frame.vehicle.registration, at: performance.now() });
  };
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  ws.send(JSON.stringify({ type: "subscribe", manufacturer: null, participant: null, after: null }));
  await waitFor(() => subscribed, { what: `${name}'s live feed to be subscribed` });
  return ws;
}
