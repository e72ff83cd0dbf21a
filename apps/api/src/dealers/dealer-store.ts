/**
 * Dealers in the JetStream KV bucket `dealers`, one key per dealer name. A record keeps when the dealer was added
 * and the salted hash of its current key (dealer-keys.ts); revoking drops the hash and keeps the record, so the
 * cars it listed still name it and `add` can later issue it a new key. Only NATS user admin may write the bucket
 * (`bun run dealers`, `bun run dev`); the API only reads it, once per write request, so a revoked key stops working
 * at the next request on every instance.
 */
import { BUCKETS } from "@forecourt/shared/contracts";
import { bucketOptions, isWrongLastSequence } from "@forecourt/shared/platform";
import type { JetStreamClient } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import { dealerNameReason, newDealerKey, parseDealerKey, secretMatches, type KeyHash } from "./dealer-keys.ts";
import { DealerExistsError, DealerNotFoundError, InvalidDealerNameError } from "./errors.ts";

export interface DealerRecord extends Partial<KeyHash> {
  name: string;
  createdAt: string;
  revokedAt?: string;
}

/** What `bun run dealers list` shows: never the hash. */
export interface DealerSummary {
  name: string;
  createdAt: string;
  status: "active" | "revoked";
  revokedAt?: string;
}

export function openDealersBucket(js: JetStreamClient): Promise<KV> {
  return new Kvm(js).create(BUCKETS.dealers, bucketOptions(BUCKETS.dealers));
}

const encoder = new TextEncoder();
const encode = (record: DealerRecord) => encoder.encode(JSON.stringify(record));
const isActive = (record: DealerRecord) => !record.revokedAt && Boolean(record.keyHash);

export class DealerStore {
  constructor(
    private readonly kv: KV,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async read(name: string): Promise<{ record: DealerRecord; revision: number } | undefined> {
    const entry = await this.kv.get(name);
    if (!entry || entry.operation !== "PUT") return undefined;
    return { record: entry.json<DealerRecord>(), revision: entry.revision };
  }

  /** Adds the dealer, or gives a revoked one a new key; resolves to the key, which is shown once and stored hashed. */
  async add(name: string): Promise<string> {
    const reason = dealerNameReason(name);
    if (reason) throw new InvalidDealerNameError(reason);
    const current = await this.read(name);
    if (current && isActive(current.record)) throw new DealerExistsError(name);
    return this.issue(name, current);
  }

  /** The dealer a key belongs to, or undefined for a malformed, unknown or revoked key. */
  async authenticate(key: string): Promise<string | undefined> {
    const claimed = parseDealerKey(key);
    if (!claimed) return undefined;
    const current = await this.read(claimed.name);
    if (!current || !isActive(current.record)) return undefined;
    return secretMatches(claimed.secret, current.record as KeyHash) ? claimed.name : undefined;
  }

  async revoke(name: string): Promise<void> {
    const current = await this.read(name);
    if (!current || !isActive(current.record)) throw new DealerNotFoundError(name);
    const { salt: _salt, keyHash: _hash, ...rest } = current.record;
    try {
      await this.kv.update(name, encode({ ...rest, revokedAt: this.now().toISOString() }), current.revision);
    } catch (error) {
      if (isWrongLastSequence(error)) return this.revoke(name);
      throw error;
    }
  }

  /** Every dealer, by name. Read through a watch: kv.keys() can stop short on nats-server 2.9. */
  async list(): Promise<DealerSummary[]> {
    if ((await this.kv.status()).values === 0) return [];
    const records: DealerRecord[] = [];
    const watch = await this.kv.watch({ key: ">" });
    for await (const entry of watch) {
      if (entry.operation === "PUT") records.push(entry.json<DealerRecord>());
      if (entry.isUpdate) break;
    }
    watch.stop();
    return records
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((r) => ({ name: r.name, createdAt: r.createdAt, status: isActive(r) ? "active" : "revoked", ...(r.revokedAt ? { revokedAt: r.revokedAt } : {}) }));
  }

  /**
   * For a dealer whose key a program keeps (`bun run dev`'s demo dealer): the kept key while it still opens the
   * dealer's record, else a fresh one (the old one stops working).
   */
  async ensureKey(name: string, kept: string | undefined): Promise<{ key: string; issued: boolean }> {
    if (kept && (await this.authenticate(kept)) === name) return { key: kept, issued: false };
    return { key: await this.issue(name, await this.read(name)), issued: true };
  }

  private async issue(name: string, current: { record: DealerRecord; revision: number } | undefined): Promise<string> {
    const { key, salt, keyHash } = newDealerKey(name);
    const record: DealerRecord = { name, createdAt: current?.record.createdAt ?? this.now().toISOString(), salt, keyHash };
    try {
      if (current) await this.kv.update(name, encode(record), current.revision);
      else await this.kv.create(name, encode(record));
    } catch (error) {
      // Someone else added or changed the dealer at the same moment: theirs stands.
      if (isWrongLastSequence(error)) throw new DealerExistsError(name, { cause: error });
      throw error;
    }
    return key;
  }
}
