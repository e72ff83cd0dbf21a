import { expect, test } from "bun:test";
import { createReadiness, type Dependency } from "@forecourt/shared/platform";
import type { NatsConnection } from "@nats-io/transport-node";
import { CATALOG_DEPENDENCIES, servesPrices } from "./availability.ts";

const quiet = { debug() {}, info() {}, warn() {}, error() {}, child() { return quiet; } } as never;

/** A connection that stays connected and answers flushes: only the dependencies' probes vary. */
function connectedNats(): NatsConnection {
  return {
    isClosed: () => false,
    isDraining: () => false,
    flush: () => Promise.resolve(),
    status: () => ({ async *[Symbol.asyncIterator]() {} }),
  } as unknown as NatsConnection;
}

const bucket = (name: string, probe: Dependency["probe"]): Dependency => ({ name, probe });
const hangs = () => new Promise<string | undefined>(() => {});

test("a catalog probe that only timed out leaves the calculator SERVING, as its calls are still answered", async () => {
  const readiness = createReadiness({
    nc: connectedNats(),
    log: quiet,
    intervalMs: 0,
    probeTimeoutMs: 20,
    dependencies: CATALOG_DEPENDENCIES.map((name) => bucket(name, hangs)),
  });
  const report = await readiness.check();
  expect(report.ready).toBe(false); // /health/ready still tells the truth about the probe
  expect(report.checks[CATALOG_DEPENDENCIES[0]!]).toStartWith("could not check");
  expect(await servesPrices(readiness)()).toBe(true);
  readiness.stop();
});

test("a catalog bucket known missing takes the calculator out of rotation", async () => {
  const readiness = createReadiness({
    nc: connectedNats(),
    log: quiet,
    intervalMs: 0,
    dependencies: [bucket(CATALOG_DEPENDENCIES[0]!, async () => "bucket not found"), bucket(CATALOG_DEPENDENCIES[1]!, async () => undefined)],
  });
  await readiness.check();
  expect(await servesPrices(readiness)()).toBe(false);
  readiness.stop();
});
