/**
 * What the hub status page shows, from the hub nats-server's own monitoring: /leafz?subs=1 for the links that are up
 * and /jsz for each P_<name> stream's last sequence, whose growth over the last seconds is that participant's events
 * per second. nats-server 2.9's /leafz does not name the user of a link, but each participant's server subscribes to
 * its own domain's API ($JS.<name>.API.…), which the hub accepts from that participant's user only: that names it.
 * Pure, unit-tested; the page is plain HTML.
 */
import { hubStreamName } from "@forecourt/shared/contracts";

export interface LeafView {
  account?: string;
  ip?: string;
  port?: number;
  rtt?: string;
  subscriptions_list?: string[] | null;
}

export interface LeafzView {
  leafs?: LeafView[] | null;
}

const DOMAIN_API = /^\$JS\.([a-z0-9-]{1,20})\.API\./;

/** The participant a leaf link belongs to, from its domain API subscriptions (undefined for a link that has none). */
export function leafParticipant(leaf: LeafView): string | undefined {
  for (const subject of leaf.subscriptions_list ?? []) {
    const match = DOMAIN_API.exec(subject);
    if (match) return match[1];
  }
  return undefined;
}

export interface JszView {
  account_details?: { name?: string; stream_detail?: { name: string; state?: { messages?: number; last_seq?: number } }[] }[];
}

export interface ParticipantRow {
  name: string;
  link: "up" | "down";
  /** Where the link comes from and its round trip, while up. */
  address?: string;
  rtt?: string;
  /** Events the hub holds from this participant (its P_ stream). */
  events: number;
  eventsPerSecond: number;
}

export interface HubStatus {
  at: string;
  leafAddress: string;
  participants: ParticipantRow[];
}

interface Sample {
  at: number;
  lastSeq: number;
}

/** Events per second per stream over a sliding window of samples. */
export class RateMeter {
  private readonly samples = new Map<string, Sample[]>();
  constructor(private readonly windowMs = 10_000) {}

  record(stream: string, lastSeq: number, at: number): number {
    const list = this.samples.get(stream) ?? [];
    list.push({ at, lastSeq });
    while (list.length > 2 && at - list[0]!.at > this.windowMs) list.shift();
    this.samples.set(stream, list);
    const first = list[0]!;
    const seconds = (at - first.at) / 1000;
    return seconds > 0 ? Math.max(0, lastSeq - first.lastSeq) / seconds : 0;
  }
}

export function hubStatusRows(names: string[], leafz: LeafzView, jsz: JszView, meter: RateMeter, now: number): ParticipantRow[] {
  const streams = new Map<string, { messages: number; lastSeq: number }>();
  for (const account of jsz.account_details ?? []) {
    for (const stream of account.stream_detail ?? []) streams.set(stream.name, { messages: stream.state?.messages ?? 0, lastSeq: stream.state?.last_seq ?? 0 });
  }
  return names.map((name) => {
    const leaf = (leafz.leafs ?? []).find((l) => leafParticipant(l) === name);
    const stream = streams.get(hubStreamName(name)) ?? { messages: 0, lastSeq: 0 };
    return {
      name,
      link: leaf ? "up" : "down",
      ...(leaf ? { address: `${leaf.ip}:${leaf.port}`, rtt: leaf.rtt } : {}),
      events: stream.messages,
      eventsPerSecond: Math.round(meter.record(name, stream.lastSeq, now) * 10) / 10,
    };
  });
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderStatusPage(status: HubStatus): string {
  const rows = status.participants.length
    ? status.participants
        .map(
          (p) =>
            `<tr><td>${escape(p.name)}</td><td class="${p.link}">${p.link}</td><td>${escape(p.address ?? "")}</td><td>${escape(p.rtt ?? "")}</td><td class="n">${p.events}</td><td class="n">${p.eventsPerSecond.toFixed(1)}</td></tr>`,
        )
        .join("\n")
    : `<tr><td colspan="6">No participants yet: <code>bun run hub add &lt;name&gt;</code></td></tr>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="2">
<title>Forecourt hub</title>
<link rel="stylesheet" href="/hub.css">
</head>
<body>
<h1>Forecourt workshop hub</h1>
<p>Leaf nodes connect to <code>${escape(status.leafAddress)}</code>. Refreshed every 2 s; <a href="/status.json">as JSON</a>.</p>
<table>
<thead><tr><th>participant</th><th>link</th><th>from</th><th>rtt</th><th>events</th><th>events/s</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p class="at">${escape(status.at)}</p>
</body>
</html>
`;
}

export const STATUS_CSS = `body { font: 16px/1.4 system-ui, sans-serif; margin: 2rem; color: #1d2330; }
table { border-collapse: collapse; min-width: 40rem; }
th, td { text-align: left; padding: .4rem .8rem; border-bottom: 1px solid #d8dce5; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.up { color: #0a7a33; font-weight: 600; }
td.down { color: #b42318; font-weight: 600; }
.at { color: #667085; font-size: .85rem; }
`;
