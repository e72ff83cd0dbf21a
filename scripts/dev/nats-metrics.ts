/**
 * NATS for Prometheus under `bun run dev --observe`. nats-server 2.9 has no /metrics, only JSON monitoring
 * (/varz, /jsz), and NATS's Prometheus exporter (nats-io/prometheus-nats-exporter) is a separate Go binary that
 * Debian does not package. So the dev runner serves this small translation itself, read on each scrape: server
 * counters from /varz, JetStream totals, every stream and every durable consumer (the ordered consumers the live
 * page opens per socket are left out: one series each would grow without bound).
 */
import { Counter, Gauge, Registry } from "prom-client";

export interface Varz {
  server_name: string;
  version: string;
  connections: number;
  total_connections: number;
  subscriptions: number;
  slow_consumers: number;
  in_msgs: number;
  out_msgs: number;
  in_bytes: number;
  out_bytes: number;
  mem: number;
  cpu: number;
}

interface ConsumerDetail {
  name: string;
  config?: { durable_name?: string };
  num_pending: number;
  num_ack_pending: number;
  num_redelivered: number;
  num_waiting: number;
}

interface StreamDetail {
  name: string;
  state: { messages: number; bytes: number; last_seq: number; consumer_count: number };
  consumer_detail?: ConsumerDetail[];
}

export interface Jsz {
  streams: number;
  consumers: number;
  messages: number;
  bytes: number;
  api: { total: number; errors: number };
  account_details?: { name: string; stream_detail?: StreamDetail[] }[];
}

/** The monitoring query that returns every stream with its consumers and their configs (to tell durables apart). */
export const JSZ_QUERY = "/jsz?accounts=true&streams=true&consumers=true&config=true";

export async function natsMetricsText(varz: Varz, jsz: Jsz): Promise<{ text: string; contentType: string }> {
  const registry = new Registry();
  const gauge = (name: string, help: string, value: number, labelNames: string[] = [], labels: Record<string, string> = {}) => {
    const metric = (registry.getSingleMetric(name) as Gauge | undefined) ?? new Gauge({ name, help, labelNames, registers: [registry] });
    metric.set(labels, value);
  };
  const counter = (name: string, help: string, value: number) => new Counter({ name, help, registers: [registry] }).inc(value);

  gauge("nats_server_info", "The server answering, by name and version (always 1)", 1, ["server_name", "version"], { server_name: varz.server_name, version: varz.version });
  gauge("nats_server_connections", "Client connections open now", varz.connections);
  counter("nats_server_connections_total", "Client connections accepted since start", varz.total_connections);
  gauge("nats_server_subscriptions", "Subscriptions now", varz.subscriptions);
  counter("nats_server_slow_consumers_total", "Times a client could not keep up and was cut off", varz.slow_consumers);
  counter("nats_server_in_messages_total", "Messages received from clients", varz.in_msgs);
  counter("nats_server_out_messages_total", "Messages sent to clients", varz.out_msgs);
  counter("nats_server_in_bytes_total", "Bytes received from clients", varz.in_bytes);
  counter("nats_server_out_bytes_total", "Bytes sent to clients", varz.out_bytes);
  gauge("nats_server_memory_bytes", "Resident memory of the server process", varz.mem);
  gauge("nats_server_cpu_percent", "CPU use of the server process, percent of one core", varz.cpu);

  gauge("nats_jetstream_streams", "JetStream streams", jsz.streams);
  gauge("nats_jetstream_consumers", "JetStream consumers, ordered ones included", jsz.consumers);
  gauge("nats_jetstream_messages", "Messages stored in all streams", jsz.messages);
  gauge("nats_jetstream_bytes", "Bytes stored in all streams", jsz.bytes);
  counter("nats_jetstream_api_requests_total", "JetStream API requests", jsz.api.total);
  counter("nats_jetstream_api_errors_total", "JetStream API requests that failed", jsz.api.errors);

  const stream = ["stream"];
  const consumer = ["stream", "consumer"];
  for (const account of jsz.account_details ?? []) {
    for (const s of account.stream_detail ?? []) {
      gauge("nats_stream_messages", "Messages stored in the stream", s.state.messages, stream, { stream: s.name });
      gauge("nats_stream_bytes", "Bytes stored in the stream", s.state.bytes, stream, { stream: s.name });
      gauge("nats_stream_last_sequence", "Sequence of the stream's newest message", s.state.last_seq, stream, { stream: s.name });
      gauge("nats_stream_consumers", "Consumers of the stream, ordered ones included", s.state.consumer_count, stream, { stream: s.name });
      for (const c of s.consumer_detail ?? []) {
        if (!c.config?.durable_name) continue;
        const labels = { stream: s.name, consumer: c.name };
        gauge("nats_consumer_pending", "Messages the durable has not delivered yet", c.num_pending, consumer, labels);
        gauge("nats_consumer_ack_pending", "Messages delivered and not yet acked", c.num_ack_pending, consumer, labels);
        gauge("nats_consumer_redelivered", "Messages delivered more than once and not yet acked", c.num_redelivered, consumer, labels);
        gauge("nats_consumer_waiting", "Pull requests waiting for messages", c.num_waiting, consumer, labels);
      }
    }
  }
  return { text: await registry.metrics(), contentType: registry.contentType };
}

/** Serves GET /metrics, reading the monitoring endpoint on each scrape; 503 while NATS does not answer (the target shows down). */
export function serveNatsMetrics({ host, port, monitorUrl }: { host: string; port: number; monitorUrl: string }): { url: string; stop(): void } {
  const server = Bun.serve({
    hostname: host,
    port,
    async fetch(request) {
      if (request.method !== "GET" || new URL(request.url).pathname !== "/metrics") return new Response("not found: metrics are at GET /metrics\n", { status: 404 });
      try {
        const read = async (path: string) => {
          const response = await fetch(`${monitorUrl}${path}`, { signal: AbortSignal.timeout(2_000) });
          if (!response.ok) throw new Error(`${path} answered ${response.status}`);
          return response.json();
        };
        const [varz, jsz] = await Promise.all([read("/varz"), read(JSZ_QUERY)]);
        const { text, contentType } = await natsMetricsText(varz as Varz, jsz as Jsz);
        return new Response(text, { headers: { "content-type": contentType } });
      } catch (error) {
        return new Response(`NATS monitoring at ${monitorUrl} did not answer: ${(error as Error).message}\n`, { status: 503 });
      }
    },
  });
  return { url: `http://${host}:${server.port}/metrics`, stop: () => void server.stop(true) };
}
