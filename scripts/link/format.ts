/** What `bun run link status` (and every command that changes the link) prints: settings and counters per direction. */
import { formatBandwidth, formatDuration, type DirectionCounters, type DirectionSettings, type LinkStatus } from "@forecourt/link-shaper";

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function row(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd();
}

export function formatStatus(status: LinkStatus): string {
  const { connections } = status;
  const header = ["direction", "latency", "jitter", "bandwidth", "through", "messages", "queued"];
  const line = (name: "up" | "down", settings: DirectionSettings, counters: DirectionCounters) => [
    name === "up" ? "up (client → target)" : "down (target → client)",
    formatDuration(settings.latencyMs),
    formatDuration(settings.jitterMs),
    formatBandwidth(settings.bandwidthBps),
    formatBytes(counters.bytes),
    `${counters.messages}${counters.uncountedConnections ? ` (+${counters.uncountedConnections} connection(s) not readable as NATS)` : ""}`,
    formatBytes(counters.queuedBytes),
  ];
  const rows = [header, line("up", status.settings.up, status.up), line("down", status.settings.down, status.down)];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return [
    `link ${status.listen} → ${status.to}${status.control ? `   control ${status.control}` : ""}`,
    `outage: ${status.settings.outage}   connections: ${connections.open} open, ${connections.accepted} accepted, ${connections.refused} refused`,
    ...rows.map((r) => row(r, widths)),
  ].join("\n");
}
