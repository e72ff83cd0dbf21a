/**
 * Workshop participants: every stack has one name, the origin of the vehicle events it publishes (the last token
 * of their subjects). A stack that has not joined a hub is `local`. The hub's user names and JetStream domains are
 * the participant names too, so two names are taken by the hub itself.
 */
export const DEFAULT_PARTICIPANT = "local";

/** On a price calculator's NATS reply: the participant whose calculator answered (recorded as the priced event's pricedBy). */
export const PARTICIPANT_HEADER = "Forecourt-Participant";

/** 1–20 lowercase letters, digits and hyphens: a subject token, a NATS user name and a JetStream domain alike. */
export const PARTICIPANT_NAME = /^[a-z0-9-]{1,20}$/;

/** `hub` is the hub's JetStream domain and `admin` its own user. */
export const RESERVED_PARTICIPANT_NAMES = ["hub", "admin"] as const;

/** Why a participant name is refused (one line), or undefined when it is fine. */
export function participantNameProblem(name: string): string | undefined {
  if (!PARTICIPANT_NAME.test(name)) return `participant name must be 1-20 lowercase letters, digits and hyphens (a-z, 0-9, -), got ${JSON.stringify(name)}`;
  if ((RESERVED_PARTICIPANT_NAMES as readonly string[]).includes(name)) return `participant name ${JSON.stringify(name)} is taken by the hub itself; choose another`;
  return undefined;
}
