/**
 * The live page's WebSocket counters (relay-stats.ts, also in `nats micro stats forecourt-web`) as Prometheus
 * families, read at each scrape: the feed code counts in one place, this only reports it.
 */
import { counter, gauge } from "@forecourt/shared/platform";
import type { RelayStats } from "./relay-stats.ts";

/** A counter that mirrors a running total kept elsewhere; totals only grow, so it stays a valid counter. */
function mirroredCounter(name: string, help: string, read: () => number) {
  counter({
    name,
    help,
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

/** Once per process: the families read the first stats object they are given. */
export function registerRelayMetrics(stats: RelayStats): void {
  gauge({
    name: "forecourt_ws_sockets_open",
    help: "WebSocket feeds open now",
    collect() {
      this.set(stats.socketsOpen);
    },
  });
  mirroredCounter("forecourt_ws_sockets_opened_total", "WebSocket feeds accepted", () => stats.socketsOpened);
  mirroredCounter("forecourt_ws_frames_relayed_total", "Vehicle event frames sent to sockets (backlog included)", () => stats.messagesRelayed);
  mirroredCounter("forecourt_ws_slow_socket_drops_total", "Sockets closed with 4008 because they did not keep up", () => stats.socketsDropped);
  mirroredCounter("forecourt_ws_sockets_refused_total", "Handshakes refused: a foreign origin (403) or over a socket cap (4029, 1013)", () => stats.socketsRefused);
  mirroredCounter("forecourt_ws_invalid_client_messages_total", "Frames from pages that were not valid protocol messages", () => stats.invalidClientMessages);
  mirroredCounter("forecourt_ws_invalid_events_total", "Stream messages skipped because their body broke the contract", () => stats.invalidEvents);
}
