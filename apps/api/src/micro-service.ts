/** `forecourt-api` as a NATS micro service: `nats micro info|stats forecourt-api`, and vehicles by request-reply. */
import { API_SUBJECTS, SERVICES } from "@forecourt/shared/contracts";
import { isNatsUnavailable, registerMicroService, type ConsumerCounters, type Logger } from "@forecourt/shared/platform";
import type { Service } from "@nats-io/services";
import type { NatsConnection } from "@nats-io/transport-node";
import { VehicleNotFoundError } from "./vehicles/errors.ts";
import { normaliseRegistration } from "./vehicles/vehicle-input.ts";
import type { Outbox } from "./vehicles/outbox.ts";
import type { VehicleIndex } from "./vehicles/vehicle-index.ts";
import type { VehicleStore } from "./vehicles/vehicle-store.ts";

export interface ApiServiceDeps {
  store: VehicleStore;
  index: VehicleIndex;
  outbox: Outbox;
  prices: ConsumerCounters;
  version: string;
  log: Logger;
}

export async function registerApiService(nc: NatsConnection, { store, index, outbox, prices, version, log }: ApiServiceDeps): Promise<Service> {
  const decoder = new TextDecoder();
  return registerMicroService(nc, {
    name: SERVICES.api,
    version,
    description: "Dealer REST API",
    stats: () => ({ vehicles: index.size, owedEvents: outbox.size, prices }),
    endpoints: {
      "vehicles-get": {
        subject: API_SUBJECTS.vehicleGet,
        metadata: { description: "Request: a registration. Reply: the vehicle as JSON, or error 404." },
        handler: (error, msg) => {
          if (error) return log.warn("micro endpoint error", { error });
          const registration = normaliseRegistration(decoder.decode(msg.data));
          store.get(registration).then(
            (vehicle) => msg.respond(JSON.stringify(vehicle)),
            (cause) => {
              if (cause instanceof VehicleNotFoundError) msg.respondError(404, cause.message);
              else if (isNatsUnavailable(cause)) msg.respondError(503, "the vehicle store is unavailable; retry shortly");
              else {
                log.error("vehicle lookup failed", { registration, error: cause });
                msg.respondError(500, "lookup failed");
              }
            },
          );
        },
      },
    },
  });
}
