/**
 * The hub's roster under HUB_DATA_DIR (.data/hub, git-ignored): who participates and their passwords, plus the admin's.
 * Written only on the hub machine, readable only by its owner (0600). `bun run hub add` appends to it; the running hub
 * notices the change, rewrites its nats-server config, reloads it and creates the newcomer's hub stream.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { participantNameProblem } from "@forecourt/shared/contracts";

export interface RosterEntry {
  name: string;
  password: string;
  addedAt: string;
}

export interface Roster {
  adminPassword: string;
  participants: RosterEntry[];
}

export function hubPaths(dataDir: string) {
  return {
    dataDir,
    roster: join(dataDir, "roster.json"),
    config: join(dataDir, "nats.conf"),
    store: join(dataDir, "nats"),
    credentialsDir: join(dataDir, "participants"),
    /** The participant's password alone, for FORECOURT_HUB_CREDENTIALS on its machine. */
    credentials: (name: string) => join(dataDir, "participants", `${name}.credentials`),
  };
}

export class RosterError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RosterError";
  }
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** 24 characters of [A-Za-z0-9] (about 143 bits), safe inside a URL's user-info without escaping. */
export function randomPassword(length = 24): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
  let out = "";
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 62).
  for (const byte of bytes) {
    if (byte >= 248) continue;
    out += ALPHABET[byte % ALPHABET.length];
    if (out.length === length) return out;
  }
  return out + randomPassword(length - out.length);
}

/** Writes the file whole or not at all, readable by its owner only. */
function writePrivate(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

/** The roster, created (with a fresh admin password) on first use. */
export function loadRoster(dataDir: string): Roster {
  const paths = hubPaths(dataDir);
  if (!existsSync(paths.roster)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const roster: Roster = { adminPassword: randomPassword(), participants: [] };
    writePrivate(paths.roster, JSON.stringify(roster, null, 2) + "\n");
    return roster;
  }
  try {
    const roster = JSON.parse(readFileSync(paths.roster, "utf8")) as Roster;
    if (typeof roster.adminPassword !== "string" || !Array.isArray(roster.participants)) throw new Error("adminPassword or participants missing");
    return roster;
  } catch (error) {
    throw new RosterError(`${paths.roster} is not a hub roster (${(error as Error).message}); move it away to start a new one`, { cause: error });
  }
}

/** Adds a participant, or returns the one already there; either way its credentials file is (re)written. */
export function addParticipant(dataDir: string, name: string, now = new Date()): { entry: RosterEntry; added: boolean } {
  const problem = participantNameProblem(name);
  if (problem) throw new RosterError(problem);
  const roster = loadRoster(dataDir);
  const paths = hubPaths(dataDir);
  let entry = roster.participants.find((p) => p.name === name);
  const added = !entry;
  if (!entry) {
    entry = { name, password: randomPassword(), addedAt: now.toISOString() };
    roster.participants.push(entry);
    writePrivate(paths.roster, JSON.stringify(roster, null, 2) + "\n");
  }
  mkdirSync(paths.credentialsDir, { recursive: true, mode: 0o700 });
  writePrivate(paths.credentials(name), `${entry.password}\n`);
  return { entry, added };
}
