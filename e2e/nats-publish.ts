/**
 * Publishing straight into the VEHICLES stream, for browser tests that need events no dealer could cause
 * (a burst faster than the API takes, a body that breaks the contract). The only NATS calls in e2e/, so
 * moving to another client library changes this one function.
 */
import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";

export interface RawEvent {
  subject: string;
  /** Sent as JSON, or as is when already a string. */
  body: unknown;
}

/** Publishes in order and resolves once JetStream has stored every event. */
export async function publishEvents(natsUrl: string, events: RawEvent[]): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  try {
    const js = jetstream(nc);
    const encoder = new TextEncoder();
    await Promise.all(events.map((e) => js.publish(e.subject, encoder.encode(typeof e.body === "string" ? e.body : JSON.stringify(e.body)))));
  } finally {
    await nc.drain();
  }
}

/** A listed event's body, as the API writes it. */
export function listedBody(registration: string, extra: Record<string, unknown> = {}) {
  return { registration, manufacturerCode: "ford", manufacturerName: "Ford", modelCode: "ford-fiesta", modelName: "Fiesta", color: "Blue", year: 2015, listedAt: new Date().toISOString(), ...extra };
}
