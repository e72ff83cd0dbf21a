/** Publishing an owed event: same Nats-Msg-Id on every attempt, so JetStream keeps exactly one copy. */
import { encodeEvent } from "@forecourt/shared/contracts";
import { TRACEPARENT_HEADER } from "@forecourt/shared/platform";
import type { JetStreamClient } from "@nats-io/jetstream";
import { headers as natsHeaders } from "@nats-io/transport-node";
import type { PendingEvent } from "./stored-vehicle.ts";

export type PublishOwed = (event: PendingEvent) => Promise<{ duplicate: boolean }>;

export function createPublisher(js: JetStreamClient): PublishOwed {
  return async (event) => {
    const headers = natsHeaders();
    headers.set(TRACEPARENT_HEADER, event.traceparent);
    const ack = await js.publish(event.subject, encodeEvent(event.kind, event.body as never), { msgID: event.msgId, headers });
    return { duplicate: ack.duplicate };
  };
}
