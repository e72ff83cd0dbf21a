/** The platform's RPC part (Connect): spans, metrics and logs for calls made and served. */
export * from "./rpc-telemetry.ts";
