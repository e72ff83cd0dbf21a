import { describe, expect, test } from "bun:test";
import { ConfigError, EnvReader, readPlatformConfig } from "./config.ts";

describe("EnvReader", () => {
  test("defaults apply when variables are unset or empty", () => {
    const reader = new EnvReader({ API_PORT: "" });
    expect(reader.port("API_PORT", 3000)).toBe(3000);
    expect(readPlatformConfig(reader)).toEqual({ host: "127.0.0.1", natsUrl: "nats://127.0.0.1:4222", logLevel: "info", participant: "local", otlpEndpoint: undefined, otlpExportDelayMs: 5000, replicas: 1 });
    expect(() => reader.done()).not.toThrow();
  });

  test("a bad value is reported with the variable's name and the value", () => {
    const reader = new EnvReader({ API_PORT: "30x0" });
    reader.port("API_PORT", 3000);
    expect(() => reader.done()).toThrow(ConfigError);
    expect(reader.problems).toEqual(['API_PORT must be a port number 0-65535, got "30x0"']);
  });

  test("every bad variable is reported at once, not just the first", () => {
    const reader = new EnvReader({ API_PORT: "70000", LOG_LEVEL: "loud", NATS_URL: "http://x:1" });
    reader.port("API_PORT", 3000);
    readPlatformConfig(reader);
    expect(reader.problems).toHaveLength(3);
    expect(reader.problems.join()).toContain("API_PORT");
    expect(reader.problems.join()).toContain("LOG_LEVEL");
    expect(reader.problems.join()).toContain("NATS_URL");
  });

  test("FORECOURT_PARTICIPANT names the stack's participant; a bad name is one line naming the variable", () => {
    expect(readPlatformConfig(new EnvReader({ FORECOURT_PARTICIPANT: "team-7" })).participant).toBe("team-7");
    const reader = new EnvReader({ FORECOURT_PARTICIPANT: "Team 7" });
    readPlatformConfig(reader);
    expect(reader.problems).toEqual(['FORECOURT_PARTICIPANT: participant name must be 1-20 lowercase letters, digits and hyphens (a-z, 0-9, -), got "Team 7"']);
  });

  test("integers outside their range are rejected", () => {
    const reader = new EnvReader({ MAX: "11", NEG: "-1", OK: "5" });
    expect(reader.int("OK", 1, 0, 10)).toBe(5);
    reader.int("MAX", 1, 0, 10);
    reader.int("NEG", 1, 0, 10);
    expect(reader.problems).toHaveLength(2);
  });

  test("NATS_REPLICAS takes 1 to 5, JetStream's limit", () => {
    expect(readPlatformConfig(new EnvReader({ NATS_REPLICAS: "3" })).replicas).toBe(3);
    const reader = new EnvReader({ NATS_REPLICAS: "7" });
    readPlatformConfig(reader);
    expect(reader.problems).toEqual(['NATS_REPLICAS must be an integer 1-5, got "7"']);
  });

  test("an OTLP endpoint must be an http(s) URL; a trailing slash is dropped", () => {
    expect(readPlatformConfig(new EnvReader({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://jaeger:4318/" })).otlpEndpoint).toBe("http://jaeger:4318");
    const reader = new EnvReader({ OTEL_EXPORTER_OTLP_ENDPOINT: "jaeger:4318" });
    readPlatformConfig(reader);
    expect(reader.problems).toEqual(['OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL such as http://127.0.0.1:4318, got "jaeger:4318"']);
  });

  test("a NATS URL list with several servers is accepted", () => {
    const reader = new EnvReader({ NATS_URL: "nats://a:4222,nats://b:4222" });
    expect(reader.natsUrl()).toBe("nats://a:4222,nats://b:4222");
    expect(reader.problems).toEqual([]);
  });

  test("NATS credentials are a user with a password, or a .creds file, never both or half", () => {
    const auth = (env: Record<string, string>) => {
      const reader = new EnvReader(env);
      return { auth: reader.natsAuth(), problems: reader.problems };
    };
    expect(auth({})).toEqual({ auth: undefined, problems: [] });
    expect(auth({ NATS_USER: "api", NATS_PASSWORD: "pw" })).toEqual({ auth: { user: "api", password: "pw" }, problems: [] });
    expect(auth({ NATS_CREDS: "/etc/forecourt/api.creds" })).toEqual({ auth: { credsFile: "/etc/forecourt/api.creds" }, problems: [] });
    expect(auth({ NATS_USER: "api" }).problems).toEqual(["NATS_USER is set but NATS_PASSWORD is not"]);
    expect(auth({ NATS_PASSWORD: "pw" }).problems).toEqual(["NATS_PASSWORD is set but NATS_USER is not"]);
    expect(auth({ NATS_CREDS: "x.creds", NATS_USER: "api", NATS_PASSWORD: "pw" }).problems).toEqual(["set either NATS_CREDS or NATS_USER and NATS_PASSWORD, not both"]);
  });
});
