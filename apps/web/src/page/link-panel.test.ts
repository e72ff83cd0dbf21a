import { expect, test } from "bun:test";
import { directionText, errorLine, outageText, parseLinkStatus, settingsBody } from "./link-panel.ts";

const status = {
  listen: "127.0.0.1:7423",
  to: "127.0.0.1:7422",
  control: "127.0.0.1:7501",
  settings: { up: { latencyMs: 150, jitterMs: 30, bandwidthBps: 256_000 }, down: { latencyMs: 0, jitterMs: 0, bandwidthBps: 0 }, outage: "hold" },
  connections: { open: 1, accepted: 3, refused: 0 },
};

test("a shaper's status reads as per-direction settings and the outage state", () => {
  const view = parseLinkStatus(status)!;
  expect(view).toEqual({ up: { latencyMs: 150, jitterMs: 30, bandwidthBps: 256_000 }, down: { latencyMs: 0, jitterMs: 0, bandwidthBps: 0 }, outage: "hold", open: 1 });
  expect(directionText(view.up)).toBe("150 ms ± 30 ms, 256 kbit/s");
  expect(directionText(view.down)).toBe("no delay, unlimited");
  expect(directionText({ latencyMs: 50, jitterMs: 0, bandwidthBps: 1_500_000 })).toBe("50 ms, 1.5 Mbit/s");
  expect(outageText(view.outage)).toBe("link held (stalled)");
});

test("a status that is not a shaper's is refused rather than shown", () => {
  expect(parseLinkStatus(null)).toBeUndefined();
  expect(parseLinkStatus({ settings: { ...status.settings, outage: "sideways" } })).toBeUndefined();
  expect(parseLinkStatus({ settings: { ...status.settings, up: { latencyMs: "150ms", jitterMs: 0, bandwidthBps: 0 } } })).toBeUndefined();
  expect(parseLinkStatus({ settings: { ...status.settings, down: { latencyMs: 0, jitterMs: 0, bandwidthBps: -1 } } })).toBeUndefined();
});

test("the form sends only what was filled in, and a refusal shows the shaper's one line", () => {
  expect(settingsBody({ direction: "up", latency: " 200ms ", jitter: "", bandwidth: "64kbit" })).toEqual({ direction: "up", latency: "200ms", bandwidth: "64kbit" });
  expect(settingsBody({ direction: "", latency: "", jitter: "", bandwidth: "" })).toEqual({ direction: "both" });
  expect(errorLine(400, { detail: 'latency "fast" is not a duration in ms or s such as 150ms' })).toBe('latency "fast" is not a duration in ms or s such as 150ms');
  expect(errorLine(502, "<html>")).toBe("the link shaper answered 502");
});
