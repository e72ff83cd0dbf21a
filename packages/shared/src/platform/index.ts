/**
 * The platform every app and script shares: configuration, logs, NATS and JetStream, consumers, metrics, traces,
 * shutdown. It loads neither Elysia nor Connect, so a worker pays for neither: HTTP apps add
 * `@forecourt/shared/platform/http`, RPC clients and servers `@forecourt/shared/platform/rpc`.
 */
export * from "./config.ts";
export * from "./log.ts";
export * from "./micro.ts";
export * from "./nats.ts";
export * from "./problem.ts";
export * from "./shutdown.ts";
export * from "./streams.ts";
export * from "./replicas.ts";
export * from "./backoff.ts";
export * from "./consumer.ts";
export * from "./dead-letter.ts";
export * from "./nats-errors.ts";
export * from "./nats-permissions.ts";
export * from "./consumer-metrics.ts";
export * from "./metrics.ts";
export * from "./spans.ts";
export * from "./tracing.ts";
export * from "./running-app.ts";
export * from "./nats-unavailable.ts";
export * from "./readiness.ts";
export * from "./dependencies.ts";
export * from "./durable-pull.ts";
export * from "./nats-events.ts";
