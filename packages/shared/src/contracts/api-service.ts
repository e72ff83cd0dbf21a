/** Request-reply subjects the API answers as NATS micro service `forecourt-api`. */
export const API_SUBJECTS = {
  /** Request: a registration (any case). Reply: the vehicle as JSON, or a service error 404. */
  vehicleGet: "forecourt.api.vehicles.get",
} as const;
