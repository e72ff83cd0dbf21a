/** Browser tests' handle on the throwaway stack (scripts/stack.ts): where things are, stop/start an app, publish an event. */
import { connect } from "nats";
import { encodeEvent, vehicleSubject, type VehicleEventKind, type VehiclePricedEvent } from "@forecourt/shared/contracts";

const controlUrl = `http://127.0.0.1:${process.env.E2E_CONTROL_PORT}`;

export interface StackInfo {
  natsUrl: string;
  apiUrl: string;
  webUrl: string;
  apps: Record<string, "running" | "stopped">;
}

export async function stackInfo(): Promise<StackInfo> {
  const response = await fetch(`${controlUrl}/stack`);
  if (!response.ok) throw new Error(`stack control answered ${response.status}`);
  return (await response.json()) as StackInfo;
}

export async function controlApp(name: string, action: "stop" | "start"): Promise<void> {
  const response = await fetch(`${controlUrl}/apps/${name}/${action}`, { method: "POST" });
  if (!response.ok) throw new Error(`${action} ${name}: stack control answered ${response.status}`);
}

export const MAKES = {
  ford: { manufacturerCode: "ford", manufacturerName: "Ford", modelCode: "ford-fiesta", modelName: "Fiesta" },
  volkswagen: { manufacturerCode: "volkswagen", manufacturerName: "Volkswagen", modelCode: "volkswagen-golf", modelName: "Golf" },
} as const;

/**
 * Publishes a vehicle event straight into the stack's VEHICLES stream, as the API or the pricer would:
 * for tests of the page's own behaviour (resume, filter), independent of the other apps.
 */
export async function publishVehicle(kind: VehicleEventKind, registration: string, make: keyof typeof MAKES, extra: Partial<VehiclePricedEvent> = {}): Promise<number> {
  const { natsUrl } = await stackInfo();
  const nc = await connect({ servers: natsUrl });
  try {
    const now = new Date().toISOString();
    const body = { registration, ...MAKES[make], color: "Silver", year: 2019, listedAt: now, ...extra } as VehiclePricedEvent;
    const ack = await nc.jetstream().publish(vehicleSubject(kind, body.manufacturerCode, body.modelCode), encodeEvent(kind, body));
    return ack.seq;
  } finally {
    await nc.close();
  }
}
