import { expect, test } from "bun:test";
import { hubStatusRows, leafParticipant, RateMeter, renderStatusPage } from "./status.ts";

const leaf = (name: string, port: number) => ({ account: "WORKSHOP", ip: "10.0.0.7", port, rtt: "1.2ms", subscriptions_list: ["$LDS.x", `$JS.${name}.API.STREAM.>`, "_INBOX.abc.*"] });
const jsz = (streams: Record<string, number>) => ({ account_details: [{ name: "WORKSHOP", stream_detail: Object.entries(streams).map(([name, n]) => ({ name, state: { messages: n, last_seq: n } })) }] });

test("a leaf link is named by the domain API it subscribes to, which the hub takes only from that participant", () => {
  expect(leafParticipant(leaf("alice", 1))).toBe("alice");
  expect(leafParticipant({ subscriptions_list: ["$LDS.x", "forecourt.vehicles.*.*.*.bob"] })).toBeUndefined();
  expect(leafParticipant({})).toBeUndefined();
});

test("every participant on the roster gets a row: link up with its address, or down; events from its hub stream", () => {
  const rows = hubStatusRows(["alice", "bob"], { leafs: [leaf("alice", 5000)] }, jsz({ P_alice: 12, P_bob: 3 }), new RateMeter(), 0);
  expect(rows).toEqual([
    { name: "alice", link: "up", address: "10.0.0.7:5000", rtt: "1.2ms", events: 12, eventsPerSecond: 0 },
    { name: "bob", link: "down", events: 3, eventsPerSecond: 0 },
  ]);
});

test("events per second come from the hub stream's growth over the last ten seconds", () => {
  const meter = new RateMeter(10_000);
  expect(meter.record("alice", 0, 0)).toBe(0);
  expect(meter.record("alice", 20, 2_000)).toBe(10);
  expect(meter.record("alice", 40, 4_000)).toBe(10);
  // Older samples leave the window: a participant that stopped falls back to 0.
  meter.record("alice", 40, 13_000);
  expect(meter.record("alice", 40, 16_000)).toBe(0);
});

test("the page lists the rows and escapes what it shows", () => {
  const page = renderStatusPage({ at: "now", leafAddress: "hub.example:7422", participants: [{ name: "alice", link: "up", address: "<b>", events: 5, eventsPerSecond: 1.25 }] });
  expect(page).toContain("<td>alice</td><td class=\"up\">up</td><td>&#60;b&#62;</td>");
  expect(page).toContain("<code>hub.example:7422</code>");
  expect(page).not.toContain("<script");
  expect(renderStatusPage({ at: "now", leafAddress: "h:1", participants: [] })).toContain("bun run hub add &lt;name&gt;");
});
