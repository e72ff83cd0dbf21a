/** Publishing an owed event: same Nats-Msg-Id on every attempt, so JetStream keeps exactly one copy. */
import { TRACEPARENT_HEADER } from "@forecourt/shared/platform";
import type { JetStreamClient } from "@nats-io/jetstream";
import { headers as natsHeaders } from "@nats-io/transport-node";
import type { PendingEvent } from "./stored-vehicle.ts";

/** `data` is the event body as encoded with the change (vehicle-codec.ts), so it is not serialised again. */
export type PublishOwed = (event: PendingEvent, data: Uint8Array) => Promise<{ duplicate: boolean }>;

export function createPublisher(js: JetStreamClient): PublishOwed {
  return async (event, data) => {
    const headers = natsHeaders();
    headers.set(TRACEPARENT_HEADER, event.traceparent);
    const ack = await js.publish(event.subject, data, { msgID: event.msgId, headers });
    return { duplicate: ack.duplicate };
  };
}
