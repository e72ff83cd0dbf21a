import { expect, test } from "bun:test";
import { dealerNameReason, hashSecret, newDealerKey, parseDealerKey, secretMatches } from "./dealer-keys.ts";

test("a new key names its dealer, carries 256 random bits, and only its hash and salt are kept", () => {
  const { key, salt, keyHash } = newDealerKey("autobarn");
  expect(key).toMatch(/^fck_autobarn_[A-Za-z0-9_-]{43}$/);
  const parsed = parseDealerKey(key)!;
  expect(parsed.name).toBe("autobarn");
  expect(Buffer.from(parsed.secret, "base64url")).toHaveLength(32);
  expect(keyHash).toBe(hashSecret(parsed.secret, salt));
  expect(keyHash).not.toContain(parsed.secret);
  expect(newDealerKey("autobarn").key).not.toBe(key);
});

test("the secret matches its own hash only", () => {
  const one = newDealerKey("autobarn");
  const other = newDealerKey("autobarn");
  const secret = parseDealerKey(one.key)!.secret;
  expect(secretMatches(secret, one)).toBe(true);
  expect(secretMatches(secret, other)).toBe(false);
  expect(secretMatches(`${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`, one)).toBe(false);
  expect(secretMatches(secret, { salt: one.salt, keyHash: "abcd" })).toBe(false);
});

test("equal secrets under different salts hash differently", () => {
  expect(hashSecret("same", "c2FsdDE")).not.toBe(hashSecret("same", "c2FsdDI"));
});

test("anything not shaped like a key is no key", () => {
  const { key } = newDealerKey("dealer-1");
  for (const bad of ["", "Bearer x", key.slice(0, -1), `${key}x`, key.replace("fck_", "fcx_"), key.replace("dealer-1", "Dealer-1"), "fck__" + "a".repeat(43)]) {
    expect(parseDealerKey(bad)).toBeUndefined();
  }
  expect(parseDealerKey(key)?.name).toBe("dealer-1");
});

test("dealer names are kebab-case, 1 to 32 characters", () => {
  for (const good of ["demo", "autobarn", "a", "dealer-42", "x".repeat(32)]) expect(dealerNameReason(good)).toBeUndefined();
  for (const bad of ["", "Autobarn", "-a", "a-", "a_b", "a.b", "x".repeat(33), "ca r"]) expect(dealerNameReason(bad)).toContain("a dealer name is");
});
