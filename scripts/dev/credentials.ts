/**
 * Local credentials, kept git-ignored under CREDENTIALS_DIR (`.data/credentials`, the folder 0700 and every file
 * 0600): a random password per NATS user (`<user>.password`, made on first start and kept), the nats-server auth
 * file rendered from them (`nats-auth.conf`, bcrypt hashes only, rewritten at every start so permissions follow the
 * code), and the demo dealer's API key (`demo-dealer.key`). With --cluster the auth file also holds a system account
 * user `sys` (`sys.password`), for `nats server report jetstream`.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { AuthorizationError, connect, type NatsConnection } from "@nats-io/transport-node";
import { EnvReader, NATS_USERS, natsAuthOptions, natsIdentity, renderNatsAuth, type Env, type NatsAuth, type NatsUser } from "@forecourt/shared/platform";
import { participantDataDir } from "./apps.ts";

export const DEFAULT_CREDENTIALS_DIR = ".data/credentials";
export const AUTH_FILE = "nats-auth.conf";
export const DEMO_KEY_FILE = "demo-dealer.key";

/** CREDENTIALS_DIR, else the stack's own data folder's (a participant's stack keeps its own), else .data/credentials. */
export const credentialsDir = (env: Env, root: string, dataDir?: string) => resolve(root, env.CREDENTIALS_DIR || (dataDir ? `${dataDir}/credentials` : DEFAULT_CREDENTIALS_DIR));
const passwordFile = (dir: string, user: string) => join(dir, `${user}.password`);
/** The cluster's system account user (bun run dev --cluster). */
export const SYSTEM_USER = "sys";

function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Writes a secret readable by its owner only (also when the file was there with looser modes). */
export function writeSecret(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
}

export function readSecret(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8").trim() || undefined : undefined;
}

/** Every user's password: the ones stored, plus a new random one (192 bits) for any user without. */
export function loadOrCreatePasswords(dir: string): Record<NatsUser, string> {
  ensureDir(dir);
  const passwords = {} as Record<NatsUser, string>;
  for (const user of NATS_USERS) passwords[user] = loadOrCreatePassword(dir, user);
  return passwords;
}

/** The password stored for `user`, or a new random one (192 bits) stored now. */
export function loadOrCreatePassword(dir: string, user: string): string {
  ensureDir(dir);
  const file = passwordFile(dir, user);
  let password = readSecret(file);
  if (!password) {
    password = randomBytes(24).toString("base64url");
    writeSecret(file, `${password}\n`);
  }
  return password;
}

/** Renders the users (and a cluster's system user, given its password) into the auth file nats.conf includes; returns its path. */
export async function writeNatsAuthFile(dir: string, passwords: Record<NatsUser, string>, systemPassword?: string): Promise<string> {
  ensureDir(dir);
  const hash = (password: string) => Bun.password.hash(password, { algorithm: "bcrypt", cost: 10 });
  const users = await Promise.all(NATS_USERS.map(async (user) => ({ user, passwordHash: await hash(passwords[user]) })));
  const systemUser = systemPassword ? { user: SYSTEM_USER, passwordHash: await hash(systemPassword) } : undefined;
  const path = join(dir, AUTH_FILE);
  writeSecret(path, renderNatsAuth(users, { systemUser }));
  return path;
}

/** The environment that makes an app connect as its user. */
export const natsUserEnv = (user: NatsUser, passwords: Record<NatsUser, string>) => ({ NATS_USER: user, NATS_PASSWORD: passwords[user] });

/**
 * Who a script (dlq, import, dealers, rebuild) connects as: NATS_USER/NATS_PASSWORD or NATS_CREDS when set, else
 * `admin` with the password `bun run dev` stored (in CREDENTIALS_DIR; else, for FORECOURT_PARTICIPANT, the
 * participant's stack's folder; else .data/credentials), else nobody (a server without authorization).
 */
export function scriptNatsAuth(env: Env, root: string): NatsAuth | undefined {
  const reader = new EnvReader(env);
  const auth = reader.natsAuth();
  reader.done();
  if (auth) return auth;
  const dirs = env.CREDENTIALS_DIR
    ? [credentialsDir(env, root)]
    : [...(env.FORECOURT_PARTICIPANT ? [credentialsDir(env, root, participantDataDir(env.FORECOURT_PARTICIPANT))] : []), credentialsDir(env, root)];
  const password = dirs.map((dir) => readSecret(passwordFile(dir, "admin"))).find(Boolean);
  return password ? { user: "admin", password } : undefined;
}

/**
 * A script's one connection (no reconnects), as scriptNatsAuth says; a refusal or an unreachable server is an
 * Error with a one-line message for the script to print.
 */
export async function connectScript(name: string, natsUrl: string, env: Env, root: string): Promise<{ nc: NatsConnection; as: string }> {
  const auth = scriptNatsAuth(env, root);
  try {
    const nc = await connect({ servers: natsUrl.split(","), name, timeout: 3_000, maxReconnectAttempts: 0, ...natsAuthOptions(auth) });
    return { nc, as: natsIdentity(auth) };
  } catch (error) {
    if (error instanceof AuthorizationError)
      throw new Error(`NATS at ${natsUrl} refused ${natsIdentity(auth)}: set NATS_USER=admin and NATS_PASSWORD (bun run dev keeps it in ${DEFAULT_CREDENTIALS_DIR}/admin.password)`, { cause: error });
    throw new Error(`cannot reach NATS at ${natsUrl}: ${(error as Error).message}`, { cause: error });
  }
}

/** The line that gives the NATS CLI a read-only context for this server. */
export function inspectorContextCommand(natsUrl: string, password: string): string {
  return `nats context save forecourt-inspector --server ${natsUrl} --user inspector --password ${password}`;
}
