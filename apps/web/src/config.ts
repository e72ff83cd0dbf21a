import { EnvReader, readPlatformConfig, type Env, type PlatformConfig } from "@forecourt/shared/platform";
import { pageOrigins, parseOrigin } from "./socket-admission.ts";

export interface WebConfig extends PlatformConfig {
  port: number;
  /** Where browsers reach the API: toasts and rows link to `${apiPublicUrl}/api/vehicles/<REG>`. */
  apiPublicUrl: string;
  /** A page resumes from its last sequence only within the stream's last this-many messages. */
  resumeWindow: number;
  /** Bytes queued for one socket before sends are dropped and the socket is closed (4008). */
  socketBufferBytes: number;
  /** How long a backpressured socket may take to drain before it is closed (4008). */
  slowSocketMs: number;
  /** Vehicle frames a page may have sent to it and not acknowledged before its feed pauses (then 4008 after slowSocketMs). */
  maxUnacked: number;
  /** Origins whose pages may open /ws (others get 403 at upgrade); by default the page's own. */
  allowedOrigins: string[];
  /** Open sockets one client address may hold; more are closed with 4029. */
  maxSocketsPerClient: number;
  /** Open sockets in all; more are closed with 1013. */
  maxSockets: number;
  /** The local nats-server's HTTP monitoring, read for the hub link's state; none: "not-joined". */
  natsMonitorUrl: string | undefined;
  /** A link shaper's control API on the hub link (`bun run dev --join … --shape` sets it): the page's link panel calls it. */
  linkControlUrl: string | undefined;
}

function readOrigins(reader: EnvReader, name: string, fallback: string[]): string[] {
  const raw = reader.string(name, "");
  if (raw.trim() === "") return fallback;
  const origins: string[] = [];
  for (const part of raw.split(",").filter((p) => p.trim() !== "")) {
    const origin = parseOrigin(part);
    if (!origin) {
      reader.problems.push(`${name} must be comma-separated origins such as http://127.0.0.1:3001,https://cars.example, got "${raw}"`);
      return fallback;
    }
    origins.push(origin);
  }
  return [...new Set(origins)];
}

function readMonitorUrl(reader: EnvReader): string | undefined {
  const raw = reader.string("NATS_MONITOR_URL", "");
  if (raw === "") return undefined;
  if (!/^https?:\/\/[^/\s]+\/?$/.test(raw)) reader.problems.push(`NATS_MONITOR_URL must be a base URL such as http://127.0.0.1:8222, got "${raw}"`);
  return raw.replace(/\/$/, "");
}

/** An origin only (scheme, host, port): it goes into the page's connect-src. */
function readLinkControlUrl(reader: EnvReader): string | undefined {
  const raw = reader.string("LINK_CONTROL_URL", "");
  if (raw === "") return undefined;
  const origin = parseOrigin(raw);
  if (!origin) reader.problems.push(`LINK_CONTROL_URL must be a link shaper's control address such as http://127.0.0.1:7501, got "${raw}"`);
  return origin ?? undefined;
}

export function loadConfig(env: Env): WebConfig {
  const reader = new EnvReader(env);
  const platform = readPlatformConfig(reader);
  const port = reader.port("WEB_PORT", 3001);
  // Without API_PUBLIC_URL the API is assumed beside this app, on API_PORT, as `bun run dev` runs it.
  const apiPort = reader.port("API_PORT", 3000);
  const apiPublicUrl = reader.string("API_PUBLIC_URL", `http://127.0.0.1:${apiPort}`).replace(/\/+$/, "");
  try {
    const url = new URL(apiPublicUrl);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(url.protocol);
  } catch {
    reader.problems.push(`API_PUBLIC_URL must be an http(s) URL such as http://127.0.0.1:3000, got "${env.API_PUBLIC_URL}"`);
  }
  const config = {
    ...platform,
    port,
    apiPublicUrl,
    resumeWindow: reader.int("WEB_RESUME_WINDOW", 1000, 1, 1_000_000),
    socketBufferBytes: reader.int("WEB_SOCKET_BUFFER_BYTES", 1024 * 1024, 1024, 64 * 1024 * 1024),
    slowSocketMs: reader.int("WEB_SLOW_SOCKET_MS", 5_000, 10, 600_000),
    // At least twice the page's ack batch (100 frames), or a page acking on time would still be paused.
    maxUnacked: reader.int("WEB_MAX_UNACKED", 2_000, 200, 1_000_000),
    allowedOrigins: readOrigins(reader, "WEB_ALLOWED_ORIGINS", pageOrigins(platform.host, port)),
    maxSocketsPerClient: reader.int("WEB_MAX_SOCKETS_PER_CLIENT", 50, 1, 1_000_000),
    maxSockets: reader.int("WEB_MAX_SOCKETS", 5_000, 1, 1_000_000),
    natsMonitorUrl: readMonitorUrl(reader),
    linkControlUrl: readLinkControlUrl(reader),
  };
  reader.done();
  return config;
}
