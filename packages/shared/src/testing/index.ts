export * from "./nats-server.ts";
export * from "./ports.ts";
export * from "./processes.ts";
export * from "./wait.ts";
export * from "./jetstream.ts";
export * from "./otlp-receiver.ts";
export * from "./prometheus-text.ts";
export * from "./traces.ts";
