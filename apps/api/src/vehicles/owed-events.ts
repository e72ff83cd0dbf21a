/**
 * Publishing an owed event: same Nats-Msg-Id on every attempt, so JetStream keeps exactly one copy. Each attempt
 * is a PRODUCER span in the trace of the change that owed it, even when the outbox sweep publishes it later.
 */
import { encodeEvent } from "@forecourt/shared/contracts";
import { extractContext, publishSpan } from "@forecourt/shared/platform";
import type { JetStreamClient } from "@nats-io/jetstream";
import type { PendingEvent } from "./stored-vehicle.ts";

export type PublishOwed = (event: PendingEvent) => Promise<{ duplicate: boolean }>;

export function createPublisher(js: JetStreamClient): PublishOwed {
  return (event) =>
    publishSpan(
      `publish forecourt.vehicles.${event.kind}`,
      event.subject,
      async (headers) => {
        const ack = await js.publish(event.subject, encodeEvent(event.kind, event.body as never), { msgID: event.msgId, headers });
        return { duplicate: ack.duplicate };
      },
      { parent: extractContext({ traceparent: event.traceparent }) },
    );
}
