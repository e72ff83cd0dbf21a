export * from "./config.ts";
export * from "./health.ts";
export * from "./log.ts";
export * from "./micro.ts";
export * from "./nats.ts";
export * from "./problem.ts";
export * from "./shutdown.ts";
export * from "./trace.ts";
