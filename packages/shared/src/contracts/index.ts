export * from "./events.ts";
export * from "./subjects.ts";
