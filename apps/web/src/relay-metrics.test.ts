import { expect, test } from "bun:test";
import { metricsRegistry } from "@forecourt/shared/platform";
import { parsePrometheusText, sampleSum } from "@forecourt/shared/testing";
import { registerRelayMetrics } from "./relay-metrics.ts";
import { createRelayStats } from "./relay-stats.ts";

test("the relay's counters are read at each scrape: open sockets as a gauge, the running totals as counters", async () => {
  const stats = createRelayStats();
  registerRelayMetrics(stats);
  Object.assign(stats, { socketsOpen: 2, socketsOpened: 7, messagesRelayed: 40, socketsDropped: 1, socketsRefused: 3 });
  let m = parsePrometheusText(await metricsRegistry.metrics());
  expect(m.types.get("forecourt_ws_sockets_open")).toBe("gauge");
  expect(m.types.get("forecourt_ws_frames_relayed_total")).toBe("counter");
  expect(sampleSum(m, "forecourt_ws_sockets_open")).toBe(2);
  expect(sampleSum(m, "forecourt_ws_sockets_opened_total")).toBe(7);
  expect(sampleSum(m, "forecourt_ws_frames_relayed_total")).toBe(40);
  expect(sampleSum(m, "forecourt_ws_slow_socket_drops_total")).toBe(1);
  expect(sampleSum(m, "forecourt_ws_sockets_refused_total")).toBe(3);

  stats.messagesRelayed += 2;
  stats.socketsOpen--;
  m = parsePrometheusText(await metricsRegistry.metrics());
  expect(sampleSum(m, "forecourt_ws_frames_relayed_total")).toBe(42);
  expect(sampleSum(m, "forecourt_ws_sockets_open")).toBe(1);
});
