/**
 * Issue 12's lab integration test: a hub and two participants, alice's hub link through a link shaper (bob's not).
 * 200 ms on alice's link shows up in what bob sees; a cut while alice lists ends, after the restore, with every event
 * in both VEHICLES exactly once and every car on bob's live socket once.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { waitFor } from "@forecourt/shared/testing";
import { startLab, type Delivery, type Lab } from "./lab-stack.ts";
import { countDeliveries, percentile } from "./measures.ts";

let lab: Lab;
const deliveries: Delivery[] = [];

beforeAll(async () => {
  lab = await startLab({ names: ["alice", "bob"], unshaped: ["bob"] });
  lab.onDelivery((d) => deliveries.push(d));
}, 240_000);

afterAll(async () => {
  await lab?.stop();
}, 60_000);

/** Lists `count` cars at alice one every `everyMs` and returns each car's delay to bob's live socket. */
async function delaysToBob(prefix: string, count: number, everyMs: number): Promise<number[]> {
  const delays: number[] = [];
  for (let i = 0; i < count; i++) {
    const registration = `${prefix}${i}`;
    const sentAt = performance.now();
    expect(await lab.list("alice", registration)).toBe(201);
    const seen = await waitFor(() => deliveries.find((d) => d.registration === registration && d.receiver === "bob"), { timeoutMs: 15_000, what: `${registration} on bob's socket` });
    delays.push(seen.at - sentAt);
    await Bun.sleep(everyMs);
  }
  return delays.sort((a, b) => a - b);
}

test("with 200 ms on alice's link, bob sees alice's cars about 200 ms later than unshaped", async () => {
  const unshaped = percentile(await delaysToBob("UN", 8, 150), 0.5);
  await lab.shapeAll({ up: { latencyMs: 200 }, down: { latencyMs: 200 }, outage: "none" });
  const shaped = percentile(await delaysToBob("SH", 8, 150), 0.5);
  await lab.shapeAll({ up: { latencyMs: 0 }, down: { latencyMs: 0 }, outage: "none" });
  console.log(`alice → bob's socket, median: unshaped ${unshaped.toFixed(0)} ms, 200 ms on alice's link ${shaped.toFixed(0)} ms`);
  // A car crosses alice's link once on its way to bob (the hub's copy is sourced up it): about +200 ms.
  expect(shaped - unshaped).toBeGreaterThan(150);
  expect(shaped - unshaped).toBeLessThan(600);
}, 90_000);

test("a cut while alice lists ends, after the restore, with every event once in both VEHICLES and every car once on bob's socket", async () => {
  const registrations = Array.from({ length: 20 }, (_, i) => `CUT${i}`);
  const listing = (async () => {
    for (const registration of registrations) {
      expect(await lab.list("alice", registration)).toBe(201);
      await Bun.sleep(200);
    }
  })();
  await Bun.sleep(1_000);
  await lab.outageAll("cut");
  expect((await lab.linkStatus("alice")).connections.open).toBe(0);
  await Bun.sleep(3_000);
  await lab.outageAll("none");
  await listing;
  const expected = registrations.flatMap((r) => [`listed.alice.${r}`, `priced.alice.${r}`]);
  const count = async () => countDeliveries(expected, await Promise.all(["alice", "bob"].map((name) => lab.vehicleKeys(name))));
  await waitFor(async () => (await count()).lost === 0, { timeoutMs: 60_000, intervalMs: 500, what: "every event of the cut in both VEHICLES" });
  // Time for a late duplicate, if anything were to send one.
  await Bun.sleep(2_000);
  expect(await count()).toEqual({ lost: 0, duplicated: 0, once: expected.length * 2, missing: [] });
  const onBob = deliveries.filter((d) => d.receiver === "bob" && d.registration.startsWith("CUT")).map((d) => d.registration).sort();
  expect(onBob).toEqual([...registrations].sort());
}, 120_000);
