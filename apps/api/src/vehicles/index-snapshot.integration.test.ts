import { afterEach, expect, test } from "bun:test";
import { BUCKETS } from "@forecourt/shared/contracts";
import { createLogger } from "@forecourt/shared/platform";
import { startNatsServer, type TestNatsServer } from "@forecourt/shared/testing";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestApi, type TestApi } from "../test-support.ts";
import { indexSnapshots } from "./index-snapshot-file.ts";
import { Outbox } from "./outbox.ts";
import { openVehiclesBucket, watchVehicles } from "./vehicle-watch.ts";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function setup() {
  const server = await startNatsServer();
  const dir = mkdtempSync(join(tmpdir(), "forecourt-snapshot-"));
  cleanup.push(() => server.dispose(), () => rmSync(dir, { recursive: true, force: true }));
  return { server, path: join(dir, "vehicle-index.snapshot") };
}

async function started(server: TestNatsServer, logs: string[], snapshotPath?: string): Promise<TestApi> {
  const api = await startTestApi(server.url, logs, snapshotPath ? { snapshotPath } : {});
  let closed = false;
  cleanup.push(() => (closed ? undefined : api.close()));
  return { ...api, close: () => ((closed = true), api.close()) };
}

const car = (registration: string, color = "Red") => ({ registration, modelCode: "ford-fiesta", color, year: 2019 });
const listed = async (api: TestApi) => {
  const page = await (await api.request("GET", "/api/vehicles?index=0&count=100")).json();
  return Object.fromEntries(page.items.map((v: { registration: string; color: string }) => [v.registration, v.color]));
};
const said = (logs: string[], msg: string) => logs.filter((line) => line.includes(`"msg":"${msg}"`)).map((line) => JSON.parse(line));

test("an API restarted from its snapshot shows at once every create, update and delete made while it was down", async () => {
  const { server, path } = await setup();
  const first = await started(server, [], path);
  for (const registration of ["SN01", "SN02", "SN03", "SN04"]) expect((await first.request("POST", "/api/vehicles", car(registration))).status).toBe(201);
  await first.close();
  expect(existsSync(path)).toBe(true);

  // Another instance, without a snapshot, takes writes while the first is down.
  const other = await started(server, []);
  expect((await other.request("POST", "/api/vehicles", car("SN05", "Blue"))).status).toBe(201);
  expect((await other.request("PUT", "/api/vehicles/SN02", car("SN02", "Green"))).status).toBe(200);
  expect((await other.request("DELETE", "/api/vehicles/SN03")).status).toBe(204);
  expect((await other.request("DELETE", "/api/vehicles/SN04")).status).toBe(204);
  expect((await other.request("POST", "/api/vehicles", car("SN04", "Black"))).status).toBe(201);
  await other.close();
  // A write a dead process left half done is cleared at start; this process's own is not touched.
  const dead = `${path}.${Bun.spawnSync(["true"]).pid}.tmp`;
  const mine = `${path}.${process.pid}.tmp`;
  for (const leftover of [dead, mine]) writeFileSync(leftover, "half a snapshot");

  const logs: string[] = [];
  const again = await started(server, logs, path);
  expect([existsSync(dead), existsSync(mine)]).toEqual([false, true]);
  rmSync(mine, { force: true });
  expect(said(logs, "vehicle index restored from snapshot")).toMatchObject([{ entries: 4 }]);
  expect(said(logs, "vehicle index snapshot not used; loading the whole bucket")).toEqual([]);
  expect(await listed(again)).toEqual({ SN01: "Red", SN02: "Green", SN04: "Black", SN05: "Blue" });
  expect((await again.request("GET", "/api/vehicles/SN03")).status).toBe(404);
  expect((await (await again.request("GET", "/api/vehicles?color=green")).json()).total).toBe(1);
  // A write after the restart is listed at once too.
  expect((await again.request("POST", "/api/vehicles", car("SN06"))).status).toBe(201);
  expect(Object.keys(await listed(again))).toEqual(["SN01", "SN02", "SN04", "SN05", "SN06"]);
}, 30_000);

test("a damaged snapshot is refused with one log line and the whole bucket is loaded instead", async () => {
  const { server, path } = await setup();
  const first = await started(server, [], path);
  for (const registration of ["DM01", "DM02"]) expect((await first.request("POST", "/api/vehicles", car(registration))).status).toBe(201);
  await first.close();
  writeFileSync(path, Bun.file(path).size ? (await Bun.file(path).text()).slice(0, -20) : "");

  const logs: string[] = [];
  const again = await started(server, logs, path);
  expect(said(logs, "vehicle index snapshot not used; loading the whole bucket")).toMatchObject([{ reason: expect.stringContaining("cut short") }]);
  expect(said(logs, "vehicle index restored from snapshot")).toEqual([]);
  expect(await listed(again)).toEqual({ DM01: "Red", DM02: "Red" });
}, 30_000);

test("a snapshot of a bucket since made again is not used: only the new bucket's cars are listed", async () => {
  const { server, path } = await setup();
  const first = await started(server, [], path);
  for (const registration of ["RC01", "RC02", "RC03"]) expect((await first.request("POST", "/api/vehicles", car(registration))).status).toBe(201);
  await first.close();

  // As `bun run rebuild vehicles` does: the bucket goes, and a new one starts its sequences over.
  const nc = await connect({ servers: server.url });
  cleanup.push(() => nc.close());
  await (await jetstreamManager(nc)).streams.delete(`KV_${BUCKETS.vehicles}`);
  const kv = await openVehiclesBucket(jetstream(nc));
  const other = await started(server, []);
  expect((await other.request("POST", "/api/vehicles", car("RC09", "Blue"))).status).toBe(201);
  await other.close();
  expect((await kv.status()).values).toBe(1);

  const logs: string[] = [];
  const again = await started(server, logs, path);
  expect(said(logs, "vehicle index snapshot not used; loading the whole bucket")).toMatchObject([{ reason: expect.stringContaining("made again") }]);
  expect(await listed(again)).toEqual({ RC09: "Blue" });
}, 30_000);

test("an event still owed when the snapshot was written is handed to the outbox after a restore", async () => {
  const { server, path } = await setup();
  const nc = await connect({ servers: server.url });
  cleanup.push(() => nc.close());
  const kv = await openVehiclesBucket(jetstream(nc));
  const log = createLogger({ service: "test", write: () => {} });
  const pending = { kind: "listed", msgId: "m1", subject: "forecourt.vehicles.listed.ford.ford-fiesta.local", body: {}, traceparent: "" };
  const owing = { registration: "OW01", manufacturerCode: "ford", manufacturerName: "Ford", modelCode: "ford-fiesta", modelName: "Fiesta", color: "Red", year: 2019, listedAt: "2026-01-01T00:00:00.000Z", pending };
  const revision = await kv.put("OW01", JSON.stringify(owing));
  await kv.put("OW02", JSON.stringify({ ...owing, registration: "OW02", pending: undefined }));

  // An outbox that only keeps count: nothing is published or cleared, so the marker stays in KV.
  const outbox = new Outbox({ kv, log, publish: () => new Promise(() => {}) });
  const before = indexSnapshots({ path, kv, log, outbox });
  const watch = await watchVehicles(nc, kv, log, (key, rev, vehicle) => outbox.observe(key, rev, vehicle), before.restore);
  expect(outbox.owedRevisions()).toEqual([["OW01", revision]]);
  expect(await before.write(watch)).toBe(2);
  watch.stop();

  const heard: [string, number][] = [];
  const restartedOutbox = { observe: (key: string, rev: number) => void heard.push([key, rev]), owedRevisions: () => [] };
  const after = indexSnapshots({ path, kv, log, outbox: restartedOutbox });
  const restarted = await watchVehicles(nc, kv, log, undefined, after.restore);
  expect(restarted.position().seq).toBeGreaterThanOrEqual(revision);
  // Nothing after the snapshot is replayed, so only the snapshot can tell the outbox.
  expect(heard).toEqual([["OW01", revision]]);
  restarted.stop();
}, 30_000);
