/**
 * Dealer API keys: `fck_<dealer>_<secret>`, the secret 32 random bytes (256 bits) in base64url. The name in the
 * key finds the dealer's record; the secret is stored only as HMAC-SHA-256 keyed with a random per-dealer salt,
 * and compared in constant time.
 *
 * Why a fast keyed hash and not bcrypt or Argon2: those are slow on purpose so that guessing a low-entropy
 * password costs too much. A key here is 256 bits from the operating system's random source, so there is nothing
 * to guess: one HMAC (microseconds) already makes a stolen bucket useless, while a slow hash on every write would
 * only cost the API CPU and hand anyone sending bad keys a cheap way to load it. The per-dealer salt means equal
 * hashes never reveal equal keys, and a stolen record cannot be checked against keys leaked elsewhere.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const KEY_PREFIX = "fck";
/** Owns the demo cars the API lists on first start; `bun run dev` keeps its key in the credentials folder. */
export const DEMO_DEALER = "demo";
const SECRET_BYTES = 32;

/** Dealer names: 1 to 32 lowercase letters, digits and inner dashes (a KV key and a key token as they are). */
export const DEALER_NAME = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

export function dealerNameReason(name: string): string | undefined {
  return DEALER_NAME.test(name) ? undefined : `a dealer name is 1 to 32 lowercase letters, digits and inner dashes, got ${JSON.stringify(name)}`;
}

export interface KeyHash {
  /** base64url; the HMAC key. */
  salt: string;
  /** hex HMAC-SHA-256(salt, secret). */
  keyHash: string;
}

export function hashSecret(secret: string, salt: string): string {
  return createHmac("sha256", Buffer.from(salt, "base64url")).update(secret).digest("hex");
}

/** A new key for the dealer, and what is stored of it. The key itself is shown once and never stored. */
export function newDealerKey(name: string): { key: string } & KeyHash {
  const secret = randomBytes(SECRET_BYTES).toString("base64url");
  const salt = randomBytes(16).toString("base64url");
  return { key: `${KEY_PREFIX}_${name}_${secret}`, salt, keyHash: hashSecret(secret, salt) };
}

/** The dealer and secret a presented key claims; undefined when it is not shaped like a key at all. */
export function parseDealerKey(key: string): { name: string; secret: string } | undefined {
  const match = /^fck_([a-z0-9-]{1,32})_([A-Za-z0-9_-]{43})$/.exec(key);
  if (!match || !DEALER_NAME.test(match[1]!)) return undefined;
  return { name: match[1]!, secret: match[2]! };
}

/** Constant time in the secret: how much of a guess is right never shows in how long the answer takes. */
export function secretMatches(secret: string, stored: KeyHash): boolean {
  const presented = Buffer.from(hashSecret(secret, stored.salt), "hex");
  const expected = Buffer.from(stored.keyHash, "hex");
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
