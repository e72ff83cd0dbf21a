export * from "./currencies.ts";
export * from "./events.ts";
export * from "./subjects.ts";
export * from "./api-service.ts";
export * from "./vehicle-rules.ts";
export * from "./participants.ts";
