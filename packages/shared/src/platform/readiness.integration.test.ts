import { afterAll, beforeAll, expect, test } from "bun:test";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { startNatsServer, type TestNatsServer } from "../testing/nats-server.ts";
import { waitFor } from "../testing/wait.ts";
import { bucketDependency, streamDependency } from "./dependencies.ts";
import { createLogger } from "./log.ts";
import { createReadiness, type Dependency } from "./readiness.ts";

let server: TestNatsServer;
let nc: NatsConnection;
let jsm: JetStreamManager;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  jsm = await jetstreamManager(nc);
});
afterAll(async () => {
  await nc?.close();
  await server?.dispose();
});

function logger() {
  const lines: Record<string, unknown>[] = [];
  return { lines, log: createLogger({ service: "test", write: (line) => lines.push(JSON.parse(line)) }) };
}

test("a missing stream the app owns is put back by its repair; one it does not own is reported, blocks work, and is logged when back", async () => {
  await jsm.streams.add({ name: "OWNED", subjects: ["owned.>"] });
  await jsm.streams.add({ name: "KV_cars", subjects: ["$KV.cars.>"] });
  const { lines, log } = logger();
  const readiness = createReadiness({
    nc, log, intervalMs: 0, maxAgeMs: 0,
    dependencies: [streamDependency(jsm, "OWNED", { repair: async () => void (await jsm.streams.add({ name: "OWNED", subjects: ["owned.>"] })) }), bucketDependency(jsm, "cars", { hint: "run the rebuild" })],
  });
  expect(await readiness.check()).toMatchObject({ ready: true, checks: { nats: "ok", "stream OWNED": "ok", "bucket cars": "ok" } });

  await jsm.streams.delete("OWNED");
  await jsm.streams.delete("KV_cars");
  const down = await readiness.check();
  expect(down.ready).toBe(false);
  expect(down.checks["stream OWNED"]).toBe("ok");
  expect(down.checks["bucket cars"]).toBe("KV bucket cars is missing (no stream KV_cars); run the rebuild");
  expect(readiness.blocked(["bucket cars"])).toBe("bucket cars: KV bucket cars is missing (no stream KV_cars); run the rebuild");
  expect(readiness.blocked(["stream OWNED"])).toBeUndefined();
  expect(lines.filter((l) => l.msg === "dependency repaired").map((l) => l.dependency)).toEqual(["stream OWNED"]);
  expect(lines.filter((l) => l.msg === "dependency unavailable").map((l) => l.dependency)).toEqual(["bucket cars"]);

  await jsm.streams.add({ name: "KV_cars", subjects: ["$KV.cars.>"] });
  expect((await readiness.check()).ready).toBe(true);
  expect(readiness.blocked()).toBeUndefined();
  expect(lines.filter((l) => l.msg === "dependency restored").map((l) => l.dependency)).toEqual(["bucket cars"]);
  // Logged once per change, not once per check.
  await readiness.check();
  expect(lines.filter((l) => l.msg === "dependency unavailable")).toHaveLength(1);
  readiness.stop();
});

test("answers are cached for maxAgeMs and shared by concurrent callers; a probe that hangs fails after the probe timeout", async () => {
  let probes = 0;
  let hang = false;
  const counting: Dependency = { name: "counted", probe: async () => (probes++, hang ? new Promise<undefined>(() => {}) : undefined) };
  const readiness = createReadiness({ nc, log: logger().log, intervalMs: 0, maxAgeMs: 60_000, probeTimeoutMs: 200, dependencies: [counting] });
  await Promise.all([readiness.check(), readiness.check(), readiness.check()]);
  await readiness.check();
  expect(probes).toBe(1);
  readiness.stop();

  hang = true;
  const slow = createReadiness({ nc, log: logger().log, intervalMs: 0, maxAgeMs: 0, probeTimeoutMs: 200, dependencies: [counting] });
  const report = await slow.check();
  expect(report.checks.counted).toBe("could not check: counted: no answer within 200 ms");
  // Not knowing is not "missing": work is not refused on a probe that timed out.
  expect(slow.blocked()).toBeUndefined();
  slow.stop();
});

test("while NATS is down every check says so, nothing else is probed, and work is refused at once", async () => {
  let probes = 0;
  const readiness = createReadiness({ nc, log: logger().log, intervalMs: 0, maxAgeMs: 60_000, probeTimeoutMs: 300, dependencies: [{ name: "other", probe: async () => void probes++ }] });
  expect((await readiness.check()).ready).toBe(true);
  await server.stop();
  await waitFor(() => !readiness.connected, { what: "the disconnect" });
  expect(readiness.blocked()).toBe("NATS is disconnected");
  // The cached "ready" is not served once the connection is known to be gone.
  const down = await readiness.check();
  expect(down).toMatchObject({ ready: false, checks: { other: "not checked: NATS is unreachable" } });
  expect(probes).toBe(1);
  await server.start();
  await waitFor(async () => (await readiness.check()).ready, { timeoutMs: 15_000, what: "ready again" });
  readiness.stop();
}, 30_000);
