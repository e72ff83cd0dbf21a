/**
 * A nats-server for one test file that requires credentials, as `bun run dev`'s does: one account with the users
 * and permissions of platform/nats-permissions.ts, a random password each. Nothing exists in JetStream yet: run
 * scripts/setup/jetstream-setup.ts as `admin` before starting apps, as `bun run dev` does.
 */
import { randomBytes } from "node:crypto";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { NatsAuth } from "../platform/config.ts";
import { NATS_USERS, renderNatsAuth, type NatsUser } from "../platform/nats-permissions.ts";
import { startNatsServer, type NatsServerOptions, type TestNatsServer } from "./nats-server.ts";

export interface SecuredNatsServer extends TestNatsServer {
  passwords: Record<NatsUser, string>;
  auth(user: NatsUser): NatsAuth;
  /** NATS_URL, NATS_USER and NATS_PASSWORD for an app process. */
  env(user: NatsUser): Record<string, string>;
  /** A connection as this user (no reconnect attempts, so a refusal shows at once). */
  connect(user: NatsUser): Promise<NatsConnection>;
}

export async function startSecuredNatsServer(options: Omit<NatsServerOptions, "config"> & { extraConfig?: string } = {}): Promise<SecuredNatsServer> {
  const passwords = Object.fromEntries(NATS_USERS.map((user) => [user, randomBytes(18).toString("base64url")])) as Record<NatsUser, string>;
  // bcrypt's lowest cost: these passwords live for one test file.
  const users = await Promise.all(NATS_USERS.map(async (user) => ({ user, passwordHash: await Bun.password.hash(passwords[user], { algorithm: "bcrypt", cost: 4 }) })));
  const server = await startNatsServer({ ...options, config: `${options.extraConfig ?? ""}\n${renderNatsAuth(users)}` });
  return Object.assign(server, {
    passwords,
    auth: (user: NatsUser): NatsAuth => ({ user, password: passwords[user] }),
    env: (user: NatsUser) => ({ NATS_URL: server.url, NATS_USER: user, NATS_PASSWORD: passwords[user] }),
    connect: (user: NatsUser) => connect({ servers: server.url, user, pass: passwords[user], maxReconnectAttempts: 0 }),
  });
}
