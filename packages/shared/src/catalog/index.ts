export * from "./kv.ts";
export * from "./seed-catalog.ts";
export * from "./types.ts";
