import { expect, test } from "bun:test";
import { UNSHAPED, type LinkStatus } from "@forecourt/link-shaper";
import { formatBytes, formatStatus } from "./format.ts";

test("byte counts read in binary units", () => {
  expect(formatBytes(0)).toBe("0 B");
  expect(formatBytes(1023)).toBe("1023 B");
  expect(formatBytes(1536)).toBe("1.5 KiB");
  expect(formatBytes(10 * 1024 * 1024)).toBe("10.0 MiB");
});

test("the status shows addresses, outage, connections and one row per direction", () => {
  const status: LinkStatus = {
    listen: "127.0.0.1:7423",
    to: "127.0.0.1:7422",
    control: "127.0.0.1:7501",
    settings: { ...UNSHAPED, up: { latencyMs: 150, jitterMs: 30, bandwidthBps: 256_000 }, outage: "hold" },
    connections: { open: 1, accepted: 2, refused: 3 },
    up: { bytes: 2048, messages: 12, queuedBytes: 512, uncountedConnections: 0 },
    down: { bytes: 0, messages: 0, queuedBytes: 0, uncountedConnections: 1 },
  };
  const lines = formatStatus(status).split("\n");
  expect(lines[0]).toBe("link 127.0.0.1:7423 → 127.0.0.1:7422   control 127.0.0.1:7501");
  expect(lines[1]).toBe("outage: hold   connections: 1 open, 2 accepted, 3 refused");
  expect(lines[3]!.split(/\s{2,}/)).toEqual(["up (client → target)", "150ms", "30ms", "256kbit", "2.0 KiB", "12", "512 B"]);
  expect(lines[4]).toContain("off");
  expect(lines[4]).toContain("(+1 connection(s) not readable as NATS)");
});
