/**
 * A nats-server (or, with startNatsCluster's `secured`, a cluster) for one test file that requires credentials, as
 * `bun run dev`'s does: one account with the users and permissions of platform/nats-permissions.ts, a random
 * password each. Nothing exists in JetStream yet: run scripts/setup/jetstream-setup.ts as `admin` before starting
 * apps, as `bun run dev` does.
 */
import { randomBytes } from "node:crypto";
import { connect, type ConnectionOptions, type NatsConnection } from "@nats-io/transport-node";
import type { NatsAuth } from "../platform/config.ts";
import { NATS_USERS, renderNatsAuth, type NatsUser } from "../platform/nats-permissions.ts";
import { startNatsServer, type NatsServerOptions, type TestNatsServer } from "./nats-server.ts";

/** Every Forecourt NATS user with a fresh password, and the configuration block that requires them. */
export interface TestUsers {
  passwords: Record<NatsUser, string>;
  /** renderNatsAuth's block for these users, to put in a server's configuration. */
  authConfig: string;
  auth(user: NatsUser): NatsAuth;
  /** NATS_URL, NATS_USER and NATS_PASSWORD for an app process. */
  env(user: NatsUser): Record<string, string>;
  /** A connection as this user (no reconnect attempts unless `options` say otherwise, so a refusal shows at once). */
  connect(user: NatsUser, options?: Partial<ConnectionOptions>): Promise<NatsConnection>;
}

export async function createTestUsers(url: () => string): Promise<TestUsers> {
  const passwords = Object.fromEntries(NATS_USERS.map((user) => [user, randomBytes(18).toString("base64url")])) as Record<NatsUser, string>;
  // bcrypt's lowest cost: these passwords live for one test file.
  const users = await Promise.all(NATS_USERS.map(async (user) => ({ user, passwordHash: await Bun.password.hash(passwords[user], { algorithm: "bcrypt", cost: 4 }) })));
  return {
    passwords,
    authConfig: renderNatsAuth(users),
    auth: (user) => ({ user, password: passwords[user] }),
    env: (user) => ({ NATS_URL: url(), NATS_USER: user, NATS_PASSWORD: passwords[user] }),
    connect: (user, options = {}) => connect({ servers: url().split(","), user, pass: passwords[user], maxReconnectAttempts: 0, ...options }),
  };
}

export interface SecuredNatsServer extends TestNatsServer, Omit<TestUsers, "authConfig"> {}

export async function startSecuredNatsServer(options: Omit<NatsServerOptions, "config"> & { extraConfig?: string } = {}): Promise<SecuredNatsServer> {
  let url = "";
  const users = await createTestUsers(() => url);
  const server = await startNatsServer({ ...options, config: `${options.extraConfig ?? ""}\n${users.authConfig}` });
  url = server.url;
  const { authConfig: _, ...rest } = users;
  return Object.assign(server, rest);
}
