export * from "./subjects.ts";
