import { expect, test } from "bun:test";
import { parseChaosArgs, UsageError } from "./args.ts";

test("defaults: 150 cars/s for 120 s, two NATS restarts and two NATS kills, a random seed", () => {
  expect(parseChaosArgs([], () => 77)).toMatchObject({ rate: 150, durationMs: 120_000, seed: 77, quick: false, keep: false, natsRestarts: 2, natsKills: 2 });
});

test("--quick is the short CI run; flags override it", () => {
  expect(parseChaosArgs(["--quick"], () => 1)).toMatchObject({ quick: true, durationMs: 40_000, natsRestarts: 1, natsKills: 1 });
  expect(parseChaosArgs(["--quick", "--rate", "80", "--duration", "30", "--seed", "5", "--keep"])).toMatchObject({ rate: 80, durationMs: 30_000, seed: 5, keep: true });
});

test("--cluster is the failover programme: 200 cars/s, 50 with --quick, no --duration", () => {
  expect(parseChaosArgs(["--cluster"], () => 1)).toMatchObject({ cluster: true, quick: false, rate: 200, settleMs: 150_000 });
  expect(parseChaosArgs(["--cluster", "--quick", "--seed", "1"])).toMatchObject({ cluster: true, quick: true, rate: 50, seed: 1, settleMs: 60_000 });
  expect(parseChaosArgs([], () => 1).cluster).toBe(false);
  expect(() => parseChaosArgs(["--cluster", "--duration", "60"])).toThrow("--cluster runs a fixed programme: leave out --duration");
});

test("bad values and unknown flags are one-line usage errors", () => {
  for (const argv of [["--rate"], ["--rate", "0"], ["--rate", "fast"], ["--duration", "5"], ["--seed", "1.5"], ["--seed", "-1"], ["--chaos-monkey"]]) {
    let error: unknown;
    try {
      parseChaosArgs(argv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).not.toContain("\n");
  }
});
