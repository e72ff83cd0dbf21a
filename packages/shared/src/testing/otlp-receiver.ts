/**
 * An OTLP/HTTP trace receiver for tests: a Bun.serve answering POST /v1/traces in protobuf (what the apps'
 * exporter sends), keeping every span it was sent. The protobuf side reads the wire format directly
 * (https://protobuf.dev/programming-guides/encoding/) for the few fields of opentelemetry/proto/trace/v1 a test
 * looks at, so a test sees exactly what a backend such as Jaeger would.
 */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, string | number | boolean>;
}

export const SPAN_KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

type Field = { no: number; wire: number; value: bigint | Uint8Array };

/** The fields of one protobuf message, in order; nested messages stay bytes until read. */
function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = () => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buf[i++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ no, wire, value: varint() });
    else if (wire === 1) (out.push({ no, wire, value: buf.subarray(i, i + 8) }), (i += 8));
    else if (wire === 5) (out.push({ no, wire, value: buf.subarray(i, i + 4) }), (i += 4));
    else if (wire === 2) {
      const length = Number(varint());
      out.push({ no, wire, value: buf.subarray(i, i + length) });
      i += length;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  return out;
}

const bytes = (f: Field) => f.value as Uint8Array;
const text = (f: Field) => new TextDecoder().decode(bytes(f));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** AnyValue: 1 string, 2 bool, 3 int, 4 double. */
function anyValue(buf: Uint8Array): string | number | boolean {
  for (const f of fields(buf)) {
    if (f.no === 1) return text(f);
    if (f.no === 2) return f.value === 1n;
    if (f.no === 3) return Number(BigInt.asIntN(64, f.value as bigint));
    if (f.no === 4) return new DataView(bytes(f).buffer, bytes(f).byteOffset, 8).getFloat64(0, true);
  }
  return "";
}

/** KeyValue: 1 key, 2 value. */
function keyValues(list: Field[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const f of list) {
    const kv = fields(bytes(f));
    const key = kv.find((x) => x.no === 1);
    const value = kv.find((x) => x.no === 2);
    if (key) out[text(key)] = value ? anyValue(bytes(value)) : "";
  }
  return out;
}

/** ExportTraceServiceRequest: 1 ResourceSpans{1 Resource{1 attributes}, 2 ScopeSpans{2 Span}}. */
export function decodeTraceRequest(body: Uint8Array): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of fields(body).filter((f) => f.no === 1)) {
    const parts = fields(bytes(resourceSpans));
    const resource = parts.find((f) => f.no === 1);
    const service = String(resource ? (keyValues(fields(bytes(resource)).filter((f) => f.no === 1))["service.name"] ?? "") : "");
    for (const scopeSpans of parts.filter((f) => f.no === 2)) {
      for (const spanField of fields(bytes(scopeSpans)).filter((f) => f.no === 2)) {
        const s = fields(bytes(spanField));
        const one = (no: number) => s.find((f) => f.no === no);
        spans.push({
          service,
          traceId: toHex(bytes(one(1)!)),
          spanId: toHex(bytes(one(2)!)),
          parentSpanId: one(4) ? toHex(bytes(one(4)!)) : "",
          name: one(5) ? text(one(5)!) : "",
          kind: Number((one(6)?.value as bigint | undefined) ?? 0n),
          attributes: keyValues(s.filter((f) => f.no === 9)),
        });
      }
    }
  }
  return spans;
}

export interface OtlpReceiver {
  /** The base URL to give as OTEL_EXPORTER_OTLP_ENDPOINT. */
  endpoint: string;
  spans: ReceivedSpan[];
  /** Export requests received, whatever their content. */
  requests: number;
  stop(): void;
}

export function startOtlpReceiver(): OtlpReceiver {
  const receiver: OtlpReceiver = { endpoint: "", spans: [], requests: 0, stop: () => server.stop(true) };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      if (request.method !== "POST" || new URL(request.url).pathname !== "/v1/traces") return new Response("not found", { status: 404 });
      receiver.requests++;
      receiver.spans.push(...decodeTraceRequest(new Uint8Array(await request.arrayBuffer())));
      // An empty ExportTraceServiceResponse: everything accepted.
      return new Response(new Uint8Array(), { headers: { "content-type": "application/x-protobuf" } });
    },
  });
  receiver.endpoint = `http://127.0.0.1:${server.port}`;
  return receiver;
}
