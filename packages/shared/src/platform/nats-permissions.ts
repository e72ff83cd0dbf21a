/**
 * Who may do what on Forecourt's NATS: one user per app, an `inspector` that only reads and an `admin` that alone
 * creates, changes and deletes streams, buckets and durable consumers. Every list is derived from the names in
 * contracts/subjects.ts, so a renamed subject or a new durable changes the permissions with it. Subject lists
 * end in `>` where a subject has qualifiers (`forecourt.vehicles.listed.>`), so they stay right when a token is
 * appended (the workshop's origin participant).
 *
 * NATS permissions match subjects, not request bodies. So a user allowed to create its own ordered consumers on a
 * stream (web on VEHICLES) could give one a durable name; what it can never do is create, change, delete, pull
 * from or ack the durables the apps depend on (contracts' `durables`), which are denied to everyone but their owner and admin.
 */
import { DEFAULT_PARTICIPANT } from "../contracts/participants.ts";
import { BUCKETS, durables, SERVICE_SUBJECTS, SERVICES, STREAMS, SUBJECTS } from "../contracts/subjects.ts";

/** The NATS account every Forecourt user lives in, with JetStream enabled; the workshop hub binds its leaf remote to it. */
export const NATS_ACCOUNT = "FORECOURT";

export const APP_USERS = ["api", "pricer", "pricing", "audit-log", "web"] as const;
export const NATS_USERS = [...APP_USERS, "inspector", "admin"] as const;
export type AppUser = (typeof APP_USERS)[number];
export type NatsUser = (typeof NATS_USERS)[number];

export interface SubjectRules {
  allow: string[];
  deny: string[];
}

export interface NatsPermissions {
  publish: SubjectRules;
  subscribe: SubjectRules;
  /** May publish a reply to a request it received (micro service endpoints), and only to its reply subject. */
  allowResponses: boolean;
}

/**
 * How long an app may take to answer a request it received (allow_responses' expiry). nats-server remembers the
 * reply subject of every message it delivers to such a user, JetStream deliveries (ack subjects) included, and
 * forgets one only once answered or expired; past 4,096 remembered it walks them all on every delivery. With its
 * default of two minutes that is hundreds of thousands of subjects at a thousand cars a second, and nats-server
 * spent about 10 ms of CPU per car walking them. The apps answer their micro service requests at once.
 */
export const RESPONSE_EXPIRY = "1s";

const API = "$JS.API";
/** Names and streams only: permissions do not depend on which participant a stack is. */
const DURABLES = durables(DEFAULT_PARTICIPANT);
const DURABLE_LIST = Object.values(DURABLES);
const kvStream = (bucket: string) => `KV_${bucket}`;

/** What every app that touches JetStream needs: account info, and replies to its requests (JetStream API, pulls). */
const JETSTREAM_CLIENT = [`${API}.INFO`];
const INBOX = "_INBOX.>";

/** `ensureStreams` at start: look at each stream (only admin may create or update one). */
const bindStreams = () => Object.values(STREAMS).map((s) => `${API}.STREAM.INFO.${s.name}`);

/** Reads a bucket's values: status, and gets (direct and through the stream). */
const readBucket = (bucket: string) => [
  `${API}.STREAM.INFO.${kvStream(bucket)}`,
  `${API}.DIRECT.GET.${kvStream(bucket)}`,
  `${API}.DIRECT.GET.${kvStream(bucket)}.>`,
  `${API}.STREAM.MSG.GET.${kvStream(bucket)}`,
];

/** Puts, creates, updates and deletes keys (a KV write is a publish to $KV.<bucket>.<key>); the bucket itself stays admin's. */
const writeBucket = (bucket: string) => [`$KV.${bucket}.>`];

/**
 * Reads a stream through consumers of its own (ordered consumers, KV watches): create, follow (pull, or push with
 * flow control), look at and delete them. Buckets' streams have no durables to protect.
 */
const ownConsumers = (stream: string) => [
  `${API}.CONSUMER.CREATE.${stream}`,
  `${API}.CONSUMER.CREATE.${stream}.>`,
  `${API}.CONSUMER.INFO.${stream}.*`,
  `${API}.CONSUMER.DELETE.${stream}.*`,
  `${API}.CONSUMER.MSG.NEXT.${stream}.*`,
  `$JS.FC.${stream}.>`,
];

/** Everything but admin is kept off the durables the apps depend on, whatever else it may do on their stream. */
const protectedDurables = (except?: string) =>
  DURABLE_LIST.filter((d) => d.durable !== except).flatMap(({ stream, durable }) => [
    `${API}.CONSUMER.CREATE.${stream}.${durable}`,
    `${API}.CONSUMER.CREATE.${stream}.${durable}.>`,
    `${API}.CONSUMER.DURABLE.CREATE.${stream}.${durable}`,
    `${API}.CONSUMER.DELETE.${stream}.${durable}`,
    `${API}.CONSUMER.MSG.NEXT.${stream}.${durable}`,
    `$JS.ACK.${stream}.${durable}.>`,
  ]);

/** Binds to its durable and works through it: info, pull, ack (also nak, term, in progress). Never create or delete. */
const ownDurable = (durable: string) => {
  const { stream } = DURABLE_LIST.find((d) => d.durable === durable)!;
  return [`${API}.CONSUMER.INFO.${stream}.${durable}`, `${API}.CONSUMER.MSG.NEXT.${stream}.${durable}`, `$JS.ACK.${stream}.${durable}.>`];
};

/** forecourt.deadletter.<consumer>.>: where the shared consumer loop copies what `consumer` gives up on. */
const deadLetters = (consumer: string) => [SUBJECTS.deadLetter.replace(/>$/, `${consumer}.>`)];

/** A NATS micro service answers $SRV.PING|INFO|STATS (all, by name, by instance) and its own endpoints. */
const microService = (name: string, endpoints: string) => [`$SRV.PING`, `$SRV.INFO`, `$SRV.STATS`, `$SRV.*.${name}`, `$SRV.*.${name}.*`, endpoints];

const CATALOG = [BUCKETS.manufacturers, BUCKETS.models];
/** The catalog view: the buckets' values, followed by a watch each. */
const followCatalog = () => CATALOG.flatMap((bucket) => [...readBucket(bucket), ...ownConsumers(kvStream(bucket))]);

const app = (publish: string[], service: { name: string; endpoints: string }, deny: string[] = protectedDurables()): NatsPermissions => ({
  publish: { allow: [...JETSTREAM_CLIENT, ...publish], deny },
  subscribe: { allow: [INBOX, ...microService(service.name, service.endpoints)], deny: [] },
  allowResponses: true,
});

const PERMISSIONS: Record<Exclude<NatsUser, "admin">, () => NatsPermissions> = {
  /** Lists, changes and removes cars (vehicles KV, their events), records prices (api-prices), seeds the catalog, checks dealers' keys. */
  api: () =>
    app(
      [
        ...bindStreams(),
        SUBJECTS.listed,
        SUBJECTS.updated,
        SUBJECTS.removed,
        ...ownDurable(DURABLES.api.durable),
        ...deadLetters(DURABLES.api.durable),
        ...readBucket(BUCKETS.vehicles),
        ...writeBucket(BUCKETS.vehicles),
        // The list index follows the bucket through an ordered consumer of its own.
        ...ownConsumers(kvStream(BUCKETS.vehicles)),
        ...followCatalog(),
        ...CATALOG.flatMap(writeBucket),
        ...readBucket(BUCKETS.dealers),
      ],
      { name: SERVICES.api, endpoints: SERVICE_SUBJECTS.api },
      protectedDurables(DURABLES.api.durable),
    ),
  /**
   * Prices each listed car (durable pricer) and publishes its priced event. With PRICING_TRANSPORT=nats it asks a
   * price calculator over NATS (in a workshop, any participant's) and checks one answers its ping.
   */
  pricer: () =>
    app(
      [...bindStreams(), SUBJECTS.priced, ...ownDurable(DURABLES.pricer.durable), ...deadLetters(DURABLES.pricer.durable), SUBJECTS.getPrice, `$SRV.PING.${SERVICES.pricing}`],
      { name: SERVICES.pricer, endpoints: SERVICE_SUBJECTS.pricer },
      protectedDurables(DURABLES.pricer.durable),
    ),
  /** Reads the catalog; answers get-price on NATS. */
  pricing: () => app(followCatalog(), { name: SERVICES.pricing, endpoints: SERVICE_SUBJECTS.pricing }),
  /** Records every event (durable audit-log); at start reads what the consumer delivered but its file lacks from the stream. */
  "audit-log": () =>
    app(
      [...bindStreams(), ...ownDurable(DURABLES.auditLog.durable), `${API}.STREAM.MSG.GET.${DURABLES.auditLog.stream}`],
      { name: SERVICES.auditLog, endpoints: SERVICE_SUBJECTS.auditLog },
      protectedDurables(DURABLES.auditLog.durable),
    ),
  /** Relays VEHICLES to browsers through ordered consumers of its own; reads the catalog. Publishes nothing. */
  web: () => app([...bindStreams(), ...ownConsumers(STREAMS.vehicles.name), ...followCatalog()], { name: SERVICES.web, endpoints: SERVICE_SUBJECTS.web }),
  /**
   * Reads: every event as it happens, stream and consumer state, stored messages and values, and the services' answers;
   * the same JetStream reads in another domain (a workshop hub's streams, `nats --js-domain hub stream ls`).
   */
  inspector: () => ({
    publish: {
      allow: [
        ...INSPECTOR_READS.flatMap((read) => [`${API}.${read}`, `$JS.*.API.${read}`]),
        "$SRV.>",
        ...Object.values(SERVICE_SUBJECTS),
      ],
      deny: [],
    },
    subscribe: { allow: [SUBJECTS.all, INBOX], deny: [] },
    allowResponses: false,
  }),
};

/** The JetStream API requests that only read. */
const INSPECTOR_READS = [
  "INFO",
  "STREAM.NAMES",
  "STREAM.LIST",
  "STREAM.INFO.*",
  "STREAM.MSG.GET.*",
  "DIRECT.GET.*",
  "DIRECT.GET.*.>",
  "CONSUMER.NAMES.*",
  "CONSUMER.LIST.*",
  "CONSUMER.INFO.*.*",
];

const ADMIN: NatsPermissions = { publish: { allow: [">"], deny: [] }, subscribe: { allow: [">"], deny: [] }, allowResponses: false };

export function natsPermissions(user: NatsUser): NatsPermissions {
  return user === "admin" ? ADMIN : PERMISSIONS[user]();
}

/** NATS subject matching: `*` is one token, a trailing `>` one or more. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split(".");
  const s = subject.split(".");
  for (let i = 0; i < p.length; i++) {
    if (p[i] === ">") return s.length > i;
    if (i >= s.length || (p[i] !== "*" && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}

/** Whether these permissions let the user publish (or subscribe) to `subject`: some allow matches and no deny does. */
export function isAllowed(permissions: NatsPermissions, action: "publish" | "subscribe", subject: string): boolean {
  const rules = permissions[action];
  return rules.allow.some((p) => subjectMatches(p, subject)) && !rules.deny.some((p) => subjectMatches(p, subject));
}

export interface NatsUserEntry {
  user: NatsUser;
  /** A bcrypt hash ($2a$/$2b$), as nats-server accepts in place of the password. */
  passwordHash: string;
}

const list = (subjects: string[]) => `[${subjects.map((s) => JSON.stringify(s)).join(", ")}]`;
const rules = (r: SubjectRules) => `{ allow: ${list(r.allow)}${r.deny.length ? `, deny: ${list(r.deny)}` : ""} }`;

/** A user of the system account (server-wide requests such as `nats server report jetstream`), by its bcrypt hash. */
export interface SystemUserEntry {
  user: string;
  passwordHash: string;
}

/**
 * The nats-server configuration block for these users: one account with JetStream, each user with its hashed
 * password and permissions. With users defined and no `no_auth_user`, anonymous connections are refused.
 * Strings are quoted, so `$JS…` and bcrypt's `$2b$…` are not read as variables. A cluster adds a system account
 * user (`SYS`), declared in the same `accounts` block, as nats-server keeps only the last of two.
 */
export function renderNatsAuth(users: NatsUserEntry[], { systemUser }: { systemUser?: SystemUserEntry } = {}): string {
  const entries = users.map(({ user, passwordHash }) => {
    const p = natsPermissions(user);
    const responses = p.allowResponses ? `\n        allow_responses: { max: 1, expires: "${RESPONSE_EXPIRY}" }` : "";
    const permissions = `permissions: {\n        publish: ${rules(p.publish)}\n        subscribe: ${rules(p.subscribe)}${responses}\n      }`;
    return `    {\n      user: ${JSON.stringify(user)}\n      password: ${JSON.stringify(passwordHash)}\n      ${permissions}\n    }`;
  });
  const system = systemUser
    ? `  SYS {\n    users: [ { user: ${JSON.stringify(systemUser.user)}, password: ${JSON.stringify(systemUser.passwordHash)} } ]\n  }\n`
    : "";
  return `# Generated by bun run dev from packages/shared/src/platform/nats-permissions.ts: do not edit, it is rewritten at every start.\naccounts {\n  ${NATS_ACCOUNT} {\n    jetstream: enabled\n    users: [\n${entries.join("\n")}\n    ]\n  }\n${system}}\n${systemUser ? "system_account: SYS\n" : ""}`;
}
