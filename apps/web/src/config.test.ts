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
    loadConfig({ API_PUBLIC_URL: "ftp://x", WEB_RESUME_WINDOW: "0", WEB_SOCKET_BUFFER_BYTES: "lots", WEB_ALLOWED_ORIGINS: "cars.example", WEB_MAX_SOCKETS: "0" });
    throw new Error("expected a ConfigError");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.join("\n")).toMatch(/API_PUBLIC_URL[\s\S]*WEB_RESUME_WINDOW[\s\S]*WEB_SOCKET_BUFFER_BYTES[\s\S]*WEB_ALLOWED_ORIGINS[\s\S]*WEB_MAX_SOCKETS/);
  }
});

test("sockets: the page's own origins on HOST and WEB_PORT, 50 per client address, 5000 in all", () => {
  expect(loadConfig({ WEB_PORT: "8080" })).toMatchObject({
    allowedOrigins: ["http://127.0.0.1:8080", "http://localhost:8080"],
    maxSocketsPerClient: 50,
    maxSockets: 5000,
  });
  expect(loadConfig({ HOST: "cars.local" }).allowedOrigins[0]).toBe("http://cars.local:3001");
});

test("WEB_ALLOWED_ORIGINS replaces the default with the origins it lists, as browsers write them", () => {
  expect(loadConfig({ WEB_ALLOWED_ORIGINS: " https://Cars.Example:443 , http://127.0.0.1:3001/," }).allowedOrigins).toEqual(["https://cars.example", "http://127.0.0.1:3001"]);
});

test("a bad socket setting stops the app with one line naming it", () => {
  expect(() => loadConfig({ WEB_ALLOWED_ORIGINS: "https://cars.example/live" })).toThrow(
    'WEB_ALLOWED_ORIGINS must be comma-separated origins such as http://127.0.0.1:3001,https://cars.example, got "https://cars.example/live"',
  );
  expect(() => loadConfig({ WEB_MAX_SOCKETS_PER_CLIENT: "many" })).toThrow('WEB_MAX_SOCKETS_PER_CLIENT must be an integer 1-1000000, got "many"');
});

test("LINK_CONTROL_URL is a link shaper's control origin; anything else stops the app with one line", () => {
  expect(loadConfig({}).linkControlUrl).toBeUndefined();
  expect(loadConfig({ LINK_CONTROL_URL: "http://127.0.0.1:7501/" }).linkControlUrl).toBe("http://127.0.0.1:7501");
  expect(() => loadConfig({ LINK_CONTROL_URL: "127.0.0.1:7501" })).toThrow('LINK_CONTROL_URL must be a link shaper\'s control address such as http://127.0.0.1:7501, got "127.0.0.1:7501"');
  expect(() => loadConfig({ LINK_CONTROL_URL: "http://127.0.0.1:7501/status" })).toThrow("LINK_CONTROL_URL must be");
});
