/**
 * NATS_CREDS end to end: a nats-server in operator (JWT) mode, an account and a user signed with real nkeys, and
 * connectNats given the user's .creds file as an app reads it from NATS_CREDS.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nkeys } from "@nats-io/transport-node";
import { startNatsServer, type TestNatsServer } from "../testing/nats-server.ts";
import { EnvReader } from "./config.ts";
import { createLogger } from "./log.ts";
import { connectNats, NatsCredentialsRefusedError } from "./nats.ts";

type KeyPair = ReturnType<typeof nkeys.createUser>;
const b64url = (data: string | Uint8Array) => Buffer.from(data).toString("base64url");

/** A NATS JWT (header "ed25519-nkey"), signed by `issuer`. */
function jwt(issuer: KeyPair, subject: string, name: string, nats: Record<string, unknown>): string {
  const header = b64url(JSON.stringify({ typ: "JWT", alg: "ed25519-nkey" }));
  const claims = b64url(JSON.stringify({ jti: crypto.randomUUID().replaceAll("-", "").toUpperCase(), iat: Math.floor(Date.now() / 1000), iss: issuer.getPublicKey(), sub: subject, name, nats: { version: 2, ...nats } }));
  return `${header}.${claims}.${b64url(issuer.sign(new TextEncoder().encode(`${header}.${claims}`)))}`;
}

const creds = (userJwt: string, user: KeyPair) =>
  `-----BEGIN NATS USER JWT-----\n${userJwt}\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\n${new TextDecoder().decode(user.getSeed())}\n------END USER NKEY SEED------\n`;

let server: TestNatsServer;
let dir: string;
const log = createLogger({ service: "creds-test", level: "error", write: () => {} });
const operator = nkeys.createOperator();
const account = nkeys.createAccount();
const unlimited = { subs: -1, data: -1, payload: -1 };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "forecourt-creds-"));
  const accountJwt = jwt(operator, account.getPublicKey(), "FORECOURT", { type: "account", limits: { ...unlimited, conn: -1, leaf: -1, imports: -1, exports: -1, wildcards: true } });
  server = await startNatsServer({
    jetstream: false,
    config: `operator: ${jwt(operator, operator.getPublicKey(), "forecourt-test", { type: "operator" })}\nresolver: MEMORY\nresolver_preload: {\n  ${account.getPublicKey()}: ${accountJwt}\n}\n`,
  });
});
afterAll(async () => {
  await server?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function userCreds(name: string, signer: KeyPair = account): string {
  const user = nkeys.createUser();
  const file = join(dir, `${name}.creds`);
  writeFileSync(file, creds(jwt(signer, user.getPublicKey(), name, { type: "user", pub: {}, sub: {}, ...unlimited }), user));
  return file;
}

test("an app given NATS_CREDS connects with the user's JWT and seed", async () => {
  const reader = new EnvReader({ NATS_CREDS: userCreds("api") });
  const nc = await connectNats({ url: server.url, name: "creds-test", log, auth: reader.natsAuth() });
  try {
    const sub = nc.subscribe("forecourt.test", { max: 1 });
    nc.publish("forecourt.test", "hello");
    for await (const m of sub) expect(m.string()).toBe("hello");
  } finally {
    await nc.close();
  }
});

test("a .creds file the server does not trust, or none, is refused at once", async () => {
  await expect(connectNats({ url: server.url, name: "creds-test", log, exitOnRefusal: false })).rejects.toBeInstanceOf(NatsCredentialsRefusedError);
  const stranger = nkeys.createAccount();
  const refused = connectNats({ url: server.url, name: "creds-test", log, auth: { credsFile: userCreds("mallory", stranger) }, exitOnRefusal: false });
  await expect(refused).rejects.toBeInstanceOf(NatsCredentialsRefusedError);
});
