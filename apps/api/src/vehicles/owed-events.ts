/**
 * Publishing an owed event: same Nats-Msg-Id on every attempt, so JetStream keeps exactly one copy. Each attempt
 * is a PRODUCER span in the trace of the change that owed it, even when the outbox sweep publishes it later.
 */
import { extractContext, publishSpan } from "@forecourt/shared/platform";
import type { JetStreamClient } from "@nats-io/jetstream";
import type { PendingEvent } from "./stored-vehicle.ts";

/** `data` is the event body as encoded with the change (vehicle-codec.ts), so it is not serialised again. */
export type PublishOwed = (event: PendingEvent, data: Uint8Array) => Promise<{ duplicate: boolean }>;

export function createPublisher(js: JetStreamClient): PublishOwed {
  return (event, data) =>
    publishSpan(
      `publish forecourt.vehicles.${event.kind}`,
      event.subject,
      async (headers) => {
        const ack = await js.publish(event.subject, data, { msgID: event.msgId, headers });
        return { duplicate: ack.duplicate };
      },
      { parent: extractContext({ traceparent: event.traceparent }) },
    );
}
