/** What `bun run dealers list` prints: one aligned row per dealer, never a key or its hash. */
import type { DealerSummary } from "../../apps/api/src/dealers/dealer-store.ts";

export function formatDealers(dealers: DealerSummary[]): string {
  if (!dealers.length) return "No dealers yet: bun run dealers add <name>.";
  const rows = [["NAME", "STATUS", "ADDED", "REVOKED"], ...dealers.map((d) => [d.name, d.status, d.createdAt, d.revokedAt ?? ""])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}
