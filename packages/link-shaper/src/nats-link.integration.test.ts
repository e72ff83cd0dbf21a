/**
 * The shaper on a real leaf-node link: a hub nats-server with a leaf-node listener, and a leaf server "alice" whose
 * remote points at the shaper, which forwards to the hub's leaf port. A message published on the leaf reaches a
 * subscriber on the hub later by the latency set; a cut drops the leaf link and restore lets the leaf reconnect.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { freePort, startNatsServer, waitFor, type TestNatsServer } from "@forecourt/shared/testing";
import { startLinkShaper, type LinkShaper } from "./shaper.ts";

let hub: TestNatsServer;
let leaf: TestNatsServer;
let link: LinkShaper;
let hubClient: NatsConnection;
let leafClient: NatsConnection;
const SUBJECT = `lab.${crypto.randomUUID().slice(0, 8)}.cars`;
/** Receipt time on the hub, per message id. */
const arrivals = new Map<string, number>();

async function leafConnections(): Promise<number> {
  const response = await fetch(`${hub.monitorUrl}/leafz`);
  return ((await response.json()) as { leafnodes: number }).leafnodes;
}

function publishOnLeaf(id: string): number {
  const at = performance.now();
  leafClient.publish(SUBJECT, id);
  return at;
}

/** Publishes on the leaf until one message reaches the hub: the link is up and the hub's interest is known. */
async function linkCarries(timeoutMs: number): Promise<void> {
  await waitFor(
    async () => {
      const id = `probe-${crypto.randomUUID()}`;
      publishOnLeaf(id);
      await leafClient.flush();
      await Bun.sleep(100);
      return arrivals.has(id);
    },
    { timeoutMs, intervalMs: 0, what: "a message from the leaf to reach the hub" },
  );
}

/** Median time from publish on the leaf to receipt on the hub, over several messages sent one after another. */
async function medianDelivery(samples = 7): Promise<number> {
  const delays: number[] = [];
  for (let i = 0; i < samples; i++) {
    const id = `sample-${crypto.randomUUID()}`;
    const sentAt = publishOnLeaf(id);
    await waitFor(() => arrivals.has(id), { timeoutMs: 5_000, intervalMs: 1, what: `message ${id} on the hub` });
    delays.push(arrivals.get(id)! - sentAt);
  }
  delays.sort((a, b) => a - b);
  return delays[Math.floor(delays.length / 2)]!;
}

beforeAll(async () => {
  const hubLeafPort = await freePort();
  hub = await startNatsServer({ jetstream: false, monitor: true, config: `server_name: hub\nleafnodes { listen: "127.0.0.1:${hubLeafPort}" }\n` });
  link = await startLinkShaper({ listen: "127.0.0.1:0", to: { host: "127.0.0.1", port: hubLeafPort } });
  leaf = await startNatsServer({
    jetstream: false,
    config: `server_name: alice\nleafnodes { remotes: [ { url: "nats-leaf://127.0.0.1:${link.listen.port}" } ] }\n`,
  });
  hubClient = await connect({ servers: hub.url, name: "hub-subscriber" });
  leafClient = await connect({ servers: leaf.url, name: "alice-publisher" });
  hubClient.subscribe(SUBJECT, {
    callback: (error, msg) => {
      if (!error) arrivals.set(msg.string(), performance.now());
    },
  });
  await hubClient.flush();
  await waitFor(async () => (await leafConnections()) === 1, { timeoutMs: 10_000, what: "the leaf to connect through the shaper" });
  await linkCarries(10_000);
});

afterAll(async () => {
  await leafClient?.close();
  await hubClient?.close();
  await leaf?.dispose();
  await link?.stop();
  await hub?.dispose();
});

test("a message published on the leaf reaches the hub later by about the latency set on the link", async () => {
  const base = await medianDelivery();
  link.set({ up: { latencyMs: 200 } });
  const shaped = await medianDelivery();
  link.set({ up: { latencyMs: 0 } });
  console.log(`leaf → hub delivery: ${base.toFixed(1)} ms unshaped, ${shaped.toFixed(1)} ms with 200ms up (added ${(shaped - base).toFixed(1)} ms)`);
  expect(Math.abs(shaped - base - 200)).toBeLessThanOrEqual(30);
});

test("the shaper counts the leaf link's messages and reads its protocol to the end", async () => {
  const before = link.status().up.messages;
  const ids = Array.from({ length: 25 }, (_, i) => `counted-${i}-${crypto.randomUUID()}`);
  for (const id of ids) publishOnLeaf(id);
  await waitFor(() => ids.every((id) => arrivals.has(id)), { timeoutMs: 5_000, what: "every counted message on the hub" });
  const status = link.status();
  expect(status.up.messages - before).toBe(ids.length);
  // Each message that reached the hub crossed the link once (a probe sent before the leaf knew of the hub's
  // interest never left the leaf).
  expect(status.up.messages).toBe(arrivals.size);
  expect(status.up.uncountedConnections + status.down.uncountedConnections).toBe(0);
  expect(status.connections.open).toBe(1);
});

test("during a hold messages wait on the link and all arrive, in order, after restore", async () => {
  link.set({ outage: "hold" });
  const ids = Array.from({ length: 20 }, (_, i) => `held-${i}-${crypto.randomUUID()}`);
  for (const id of ids) publishOnLeaf(id);
  await leafClient.flush();
  await Bun.sleep(1_000);
  expect(ids.filter((id) => arrivals.has(id))).toEqual([]);
  expect(link.status().up.queuedBytes).toBeGreaterThan(0);
  link.set({ outage: "none" });
  await waitFor(() => ids.every((id) => arrivals.has(id)), { timeoutMs: 5_000, what: "every held message on the hub" });
  const order = [...ids].sort((a, b) => arrivals.get(a)! - arrivals.get(b)!);
  expect(order).toEqual(ids);
  expect(await leafConnections()).toBe(1);
});

test("a cut drops the leaf link and refuses it; after restore the leaf reconnects and messages flow again", async () => {
  const acceptedBefore = link.status().connections.accepted;
  const cutAt = performance.now();
  link.set({ outage: "cut" });
  await waitFor(async () => (await leafConnections()) === 0, { timeoutMs: 5_000, what: "the hub to lose the leaf" });
  const lost = `during-cut-${crypto.randomUUID()}`;
  publishOnLeaf(lost);
  // The leaf retries about every second; each attempt is refused while the link is cut.
  await waitFor(() => link.status().connections.refused > 0, { timeoutMs: 20_000, what: "a refused reconnect" });
  console.log(`first refused reconnect ${(performance.now() - cutAt).toFixed(0)} ms after the cut`);
  expect(arrivals.has(lost)).toBe(false);
  link.set({ outage: "none" });
  await waitFor(async () => (await leafConnections()) === 1, { timeoutMs: 10_000, what: "the leaf to reconnect" });
  await linkCarries(10_000);
  expect(link.status().connections.accepted).toBeGreaterThan(acceptedBefore);
  expect(arrivals.has(lost)).toBe(false);
  // Still through the shaper, not straight to the hub's leaf port: the latency set on the link applies again.
  link.set({ up: { latencyMs: 200 } });
  const shaped = await medianDelivery(3);
  link.set({ up: { latencyMs: 0 } });
  expect(shaped).toBeGreaterThanOrEqual(170);
}, 60_000);
