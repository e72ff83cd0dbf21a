/**
 * A span per live event relayed to WebSockets, in the publisher's trace: one for each event the shared
 * fanout hands to its sockets, one for each event a socket's own consumer sends it.
 */
import { parseVehicleSubject } from "@forecourt/shared/contracts";
import { extractContext, messagingAttributes, SpanKind, startSpan, type Span } from "@forecourt/shared/platform";
import type { StreamMessage } from "./vehicle-message.ts";

export function startRelaySpan(m: StreamMessage, path: "shared" | "own", sockets: number): Span {
  const kind = parseVehicleSubject(m.subject)?.kind ?? "event";
  return startSpan(`relay forecourt.vehicles.${kind}`, {
    kind: SpanKind.CONSUMER,
    parent: extractContext(m.headers),
    attributes: messagingAttributes("process", m.subject, { "messaging.nats.stream_sequence": m.seq, "forecourt.relay.path": path, "forecourt.relay.sockets": sockets }),
  }).span;
}
