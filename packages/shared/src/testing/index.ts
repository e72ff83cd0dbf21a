export * from "./nats-server.ts";
export * from "./ports.ts";
export * from "./processes.ts";
export * from "./wait.ts";
export * from "./jetstream.ts";
export * from "./nats-cluster.ts";
export * from "./nats-cluster-config.ts";
