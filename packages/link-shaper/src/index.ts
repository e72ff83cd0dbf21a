export * from "./address.ts";
export * from "./control.ts";
export * from "./control-client.ts";
export * from "./lane.ts";
export * from "./nats-stream.ts";
export * from "./settings.ts";
export * from "./shaper.ts";
