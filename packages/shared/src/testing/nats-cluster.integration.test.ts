import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { startNatsCluster, type TestNatsCluster } from "./nats-cluster.ts";

let cluster: TestNatsCluster;
beforeAll(async () => {
  cluster = await startNatsCluster(3);
}, 30_000);
afterAll(() => cluster?.dispose());

test("a member that exits by itself makes healthy() fail at once, naming it and how it ended; killed by the test it is only down", async () => {
  const [one, two] = cluster.nodes as [TestNatsCluster["nodes"][number], TestNatsCluster["nodes"][number]];
  expect(readFileSync(one.logFile, "utf8")).toContain("Server is ready");

  await two.kill("SIGKILL");
  expect(two.running()).toBe(false);
  expect(two.exited()).toBeUndefined();
  await cluster.healthy(10_000);
  await two.start();

  // Not through the helper: as a crash would, outside the test's knowledge.
  const pid = Number(Bun.spawnSync(["pgrep", "-f", join(dirname(one.logFile), `${one.name}.conf`)]).stdout.toString().trim().split("\n")[0]);
  process.kill(pid, "SIGKILL");
  await Bun.sleep(200);
  expect(one.exited()).toBe("signal SIGKILL");
  const started = performance.now();
  await expect(cluster.healthy(10_000)).rejects.toThrow(`${one.name} exited by itself (signal SIGKILL)`);
  expect(performance.now() - started).toBeLessThan(1_000);
  expect(cluster.warnings()).toContain(`${one.name} (exited by itself: signal SIGKILL)`);
}, 30_000);
