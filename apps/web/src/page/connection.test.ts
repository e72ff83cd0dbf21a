import { expect, test } from "bun:test";
import { OFFLINE_AFTER_ATTEMPTS, reconnectDelay, stateAfterFailure } from "./connection.ts";

test("reconnect delays double from 250 ms up to 5 s, jittered by ±20 %", () => {
  expect([0, 1, 2, 3, 4, 5, 10].map((a) => reconnectDelay(a, () => 0.5))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
  expect(reconnectDelay(0, () => 0)).toBe(200);
  expect(reconnectDelay(10, () => 1)).toBe(6000);
});

test("a drop shows reconnecting; many failures in a row, or the browser offline, show offline", () => {
  expect(stateAfterFailure(0, true)).toBe("reconnecting");
  expect(stateAfterFailure(OFFLINE_AFTER_ATTEMPTS, true)).toBe("offline");
  expect(stateAfterFailure(0, false)).toBe("offline");
});
