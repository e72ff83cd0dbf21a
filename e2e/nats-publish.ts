/**
 * Publishing straight into the VEHICLES stream, for browser tests that need events no dealer could cause
 * (a burst faster than the API takes, a body that breaks the contract). The stack's NATS requires
 * credentials, and no app's user may publish such events, so this connects as the stack's admin. The only
 * NATS calls in e2e/, so moving to another client library changes this one function.
 */
import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { stackInfo } from "./stack-control.ts";

export interface RawEvent {
  subject: string;
  /** Sent as JSON, or as is when already a string. */
  body: unknown;
}

/** Publishes in order and resolves once JetStream has stored every event. */
export async function publishEvents(natsUrl: string, events: RawEvent[]): Promise<void> {
  const { natsAdmin } = await stackInfo();
  const nc = await connect({ servers: natsUrl, user: natsAdmin.user, pass: natsAdmin.password });
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

/** The web app's relay counters (`nats req forecourt.web.stats`), e.g. how many events it refused as breaking the contract. */
export async function webStats(natsUrl: string): Promise<{ invalidEvents: number; messagesRelayed: number }> {
  const { natsAdmin } = await stackInfo();
  const nc = await connect({ servers: natsUrl, user: natsAdmin.user, pass: natsAdmin.password });
  try {
    return (await nc.request("forecourt.web.stats", "", { timeout: 5_000 })).json();
  } finally {
    await nc.close();
  }
}
