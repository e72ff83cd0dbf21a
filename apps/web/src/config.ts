import { EnvReader, readPlatformConfig, type Env, type PlatformConfig } from "@forecourt/shared/platform";

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
  };
  reader.done();
  return config;
}
