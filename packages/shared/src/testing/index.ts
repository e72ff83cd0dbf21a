export * from "./nats-server.ts";
export * from "./processes.ts";
export * from "./jetstream.ts";
