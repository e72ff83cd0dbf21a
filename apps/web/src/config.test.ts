import { expect, test } from "bun:test";
import { ConfigError } from "@forecourt/shared/platform";
import { loadConfig } from "./config.ts";

test("defaults: port 3001, API beside it on 3000, a window of 1000 messages, 1 MiB per socket", () => {
  expect(loadConfig({})).toMatchObject({ port: 3001, apiPublicUrl: "http://127.0.0.1:3000", resumeWindow: 1000, socketBufferBytes: 1048576, slowSocketMs: 5000 });
});

test("without API_PUBLIC_URL the links follow API_PORT; with it, its trailing slash is dropped", () => {
  expect(loadConfig({ API_PORT: "44002" }).apiPublicUrl).toBe("http://127.0.0.1:44002");
  expect(loadConfig({ API_PUBLIC_URL: "https://cars.example/" }).apiPublicUrl).toBe("https://cars.example");
});

test("every bad variable is named at once", () => {
  try {
    loadConfig({ API_PUBLIC_URL: "ftp://x", WEB_RESUME_WINDOW: "0", WEB_SOCKET_BUFFER_BYTES: "lots" });
    throw new Error("expected a ConfigError");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join("\n")).toMatch(/API_PUBLIC_URL[\s\S]*WEB_RESUME_WINDOW[\s\S]*WEB_SOCKET_BUFFER_BYTES/);
  }
});
