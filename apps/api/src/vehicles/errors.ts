/** Typed domain errors: thrown inside, translated once at each edge (HTTP onError, micro endpoint, importer). */
import type { FieldError } from "@forecourt/shared/contracts";

export type { FieldError };

export class InvalidVehicleError extends Error {
  constructor(readonly errors: FieldError[], options?: ErrorOptions) {
    super(errors.map((e) => `${e.field}: ${e.reason}`).join("; "), options);
    this.name = "InvalidVehicleError";
  }
}

export class VehicleNotFoundError extends Error {
  constructor(readonly registration: string, options?: ErrorOptions) {
    super(`no vehicle with registration ${registration}`, options);
    this.name = "VehicleNotFoundError";
  }
}

export class VehicleExistsError extends Error {
  constructor(readonly registration: string, options?: ErrorOptions) {
    super(`a vehicle with registration ${registration} already exists`, options);
    this.name = "VehicleExistsError";
  }
}

/** A removal of this registration is still being delivered; the client may retry in a moment. */
export class VehicleBusyError extends Error {
  constructor(readonly registration: string, options?: ErrorOptions) {
    super(`vehicle ${registration} is being removed; retry shortly`, options);
    this.name = "VehicleBusyError";
  }
}

export class ModelNotFoundError extends Error {
  constructor(readonly modelCode: string, options?: ErrorOptions) {
    super(`no model with code ${modelCode}`, options);
    this.name = "ModelNotFoundError";
  }
}

export class ManufacturerNotFoundError extends Error {
  constructor(readonly manufacturerCode: string, options?: ErrorOptions) {
    super(`no manufacturer with code ${manufacturerCode}`, options);
    this.name = "ManufacturerNotFoundError";
  }
}

/**
 * A price arrived while its car still owes an event (the outbox has yet to clear the marker): recorded later.
 * Two writers racing on one key is what nats-server before 2.9.21 cannot arbitrate in a cluster
 * (nats-io/nats-server#4320: both compare-and-set writes may succeed), so the price waits for the outbox.
 */
export class EventStillOwedError extends Error {
  constructor(readonly registration: string, readonly kind: string, options?: ErrorOptions) {
    super(`${registration} still owes its ${kind} event; its price is recorded once that is published`, options);
    this.name = "EventStillOwedError";
  }
}

/** Only the dealer who listed a car may change or remove it (403). */
export class VehicleNotOwnedError extends Error {
  constructor(readonly registration: string, readonly dealer: string, options?: ErrorOptions) {
    super(`vehicle ${registration} was listed by another dealer; only that dealer may change or remove it`, options);
    this.name = "VehicleNotOwnedError";
  }
}
