/**
 * Joining a hub that is not there yet: `bun run dev --join … --shape` starts the whole stack anyway, says
 * "hub: disconnected", works locally, and links up (through its link shaper) once the hub appears, catching the hub
 * up with what it listed meanwhile.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { fetchStatus } from "@forecourt/link-shaper";
import { hubStreamName } from "@forecourt/shared/contracts";
import { createLogger } from "@forecourt/shared/platform";
import { countSubject, freePort, waitFor } from "@forecourt/shared/testing";
import { startParticipantStack, type ParticipantStack } from "../hub/participant-stack.ts";
import { addParticipant } from "../hub/roster.ts";
import { startHub, type RunningHub } from "../hub/run-hub.ts";

const dataDir = mkdtempSync(join(tmpdir(), "forecourt-join-hub-"));
let leafPort: number;
let controlPort: number;
let stack: ParticipantStack;
let hub: RunningHub | undefined;

beforeAll(async () => {
  leafPort = await freePort();
  controlPort = await freePort();
  const { entry } = addParticipant(dataDir, "dora");
  stack = await startParticipantStack({
    name: "dora",
    password: entry.password,
    hubAddress: `127.0.0.1:${leafPort}`,
    flags: ["--shape"],
    env: { LINK_PORT: String(await freePort()), LINK_CONTROL_PORT: String(controlPort) },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await hub?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

test("with no hub the stack starts, says hub: disconnected, and prices its cars locally", async () => {
  expect(stack.output()).toContain("hub: disconnected (participant dora");
  expect(stack.output()).toContain(`bun run link status --control 127.0.0.1:${controlPort}`);
  const created = await fetch(`${stack.apiUrl}/api/vehicles`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${stack.dealerKey}` }, body: JSON.stringify({ registration: "DORA1", modelCode: "ford-fiesta", color: "Red", year: 2020 }) });
  expect(created.status).toBe(201);
  const price = await waitFor(async () => (await (await fetch(`${stack.apiUrl}/api/vehicles/DORA1`)).json()).price, { timeoutMs: 20_000, what: "DORA1 priced locally" });
  expect(price.amount).toBeGreaterThan(0);
}, 40_000);

test("when the hub appears the stack links up through its shaper and the hub catches up on what it listed", async () => {
  hub = await startHub({ host: "127.0.0.1", leafPort, port: await freePort(), natsPort: await freePort(), monitorPort: await freePort(), dataDir, publicHost: "127.0.0.1", log: createLogger({ service: "hub", level: "error" }), tickMs: 500 });
  await waitFor(() => stack.output().includes("hub: connected (participant dora"), { timeoutMs: 20_000, what: "the runner to report the hub link up" });
  const link = await fetchStatus({ host: "127.0.0.1", port: controlPort });
  expect(link.connections.open).toBe(1);
  expect(link.up.bytes).toBeGreaterThan(0);
  const admin = await connect(hub.admin);
  try {
    await waitFor(async () => (await countSubject(await jetstreamManager(admin), hubStreamName("dora"), "forecourt.vehicles.*.*.*.dora")) === 2, { timeoutMs: 20_000, what: "DORA1's listed and priced events on the hub" });
  } finally {
    await admin.close();
  }
  // The status page samples the hub's monitoring every half second here.
  await waitFor(() => hub!.status().participants[0]?.events === 2, { timeoutMs: 5_000, what: "the status page to count dora's events" });
  expect(hub.status().participants).toEqual([expect.objectContaining({ name: "dora", link: "up", events: 2 })]);
}, 60_000);
