/**
 * The hub's nats-server configuration, rendered from the roster: pure, so every permission is unit-tested.
 *
 * Leaf connections authenticate as users of the WORKSHOP account (nats-server 2.9 refuses `permissions` on
 * leafnodes.authorization users, but applies an account user's permissions to a leaf connection). On a leaf
 * connection `publish` is what the leaf may send into the hub and `subscribe` what the hub forwards to it.
 */
import { HUB, SUBJECTS, vehicleFilter } from "@forecourt/shared/contracts";

export const HUB_ACCOUNT = "WORKSHOP";
export const ADMIN_USER = "admin";

export interface HubParticipant {
  name: string;
  password: string;
}

export interface HubConfigInput {
  /** Interface of the leaf-node listener (HOST): participants on other machines connect here. */
  host: string;
  leafPort: number;
  /** Client port for the admin, bound to loopback only: admin credentials never leave the hub machine. */
  clientPort: number;
  /** HTTP monitoring (/leafz, /jsz), loopback only: the status page reads it. */
  monitorPort: number;
  storeDir: string;
  adminPassword: string;
  participants: HubParticipant[];
}

export interface Permissions {
  publish: { allow: string[]; deny: string[] };
  subscribe: { allow: string[] };
}

const hubApi = `$JS.${HUB.domain}.API`;
const PRICING_QUEUE_WORKAROUND = SUBJECTS.getPrice.replace(/[^.]+$/, "*");

/**
 * What participant `name`'s leaf connection may do. Its own events only (the origin token is its name), the price
 * endpoint, the hub's JetStream API as a whole (the hub propagates interest only for a wildcard the leaf may publish)
 * minus every call that creates, changes or deletes a stream or its messages; its own domain's API and the replies,
 * acks, flow control and source deliveries JetStream sourcing needs; `$LDS.>` is leaf-node loop detection.
 *
 * The price endpoint is received as `forecourt.pricing.*`, one token wider than its subject: nats-server before 2.11
 * checks a leaf's queue subscription against these permissions as "<subject> <queue>", which only a wildcard in the
 * last token matches (fixed in 2.11.0, "queue interest on leaf not propagated with permissions on hub"); without it a
 * calculator that starts after its leaf link is up would never be offered to the others.
 */
export function participantPermissions(name: string): Permissions {
  return {
    publish: {
      allow: [vehicleFilter({ origin: name }), SUBJECTS.getPrice, `${hubApi}.>`, "$JS.FC.>", "$JS.ACK.>", "_INBOX.>", "$LDS.>", "$JSC.>", "$JS.S.>", "_GR_.>"],
      deny: ["STREAM.CREATE.>", "STREAM.UPDATE.>", "STREAM.DELETE.>", "STREAM.PURGE.>", "STREAM.MSG.DELETE.>", "META.>"].map((call) => `${hubApi}.${call}`),
    },
    subscribe: {
      allow: [SUBJECTS.vehicles, PRICING_QUEUE_WORKAROUND, "_INBOX.>", `$JS.${name}.API.>`, "$JS.S.>", "$JSC.>", "$JS.FC.>", "$JS.ACK.>", "_GR_.>", "$LDS.>"],
    },
  };
}

const q = (value: string) => JSON.stringify(value);
const list = (values: string[]) => `[${values.map(q).join(", ")}]`;

function renderPermissions(p: Permissions): string {
  return `{ publish: { allow: ${list(p.publish.allow)}, deny: ${list(p.publish.deny)} }, subscribe: { allow: ${list(p.subscribe.allow)} } }`;
}

export function renderHubConfig(input: HubConfigInput): string {
  const users = [
    `      { user: ${q(ADMIN_USER)}, password: ${q(input.adminPassword)}, allowed_connection_types: ["STANDARD"] }`,
    ...input.participants.map(
      (p) => `      { user: ${q(p.name)}, password: ${q(p.password)}, allowed_connection_types: ["LEAFNODE"],\n        permissions: ${renderPermissions(participantPermissions(p.name))} }`,
    ),
  ];
  return [
    "# Forecourt workshop hub, written by `bun run hub` from its roster; rewritten (and reloaded) when the roster changes.",
    `server_name: ${q(HUB.domain)}`,
    "# Admin clients only, on this machine.",
    `listen: ${q(`127.0.0.1:${input.clientPort}`)}`,
    `http: ${q(`127.0.0.1:${input.monitorPort}`)}`,
    `jetstream { store_dir: ${q(input.storeDir)}, domain: ${q(HUB.domain)} }`,
    "accounts {",
    `  ${HUB_ACCOUNT} {`,
    "    jetstream: enabled",
    "    users: [",
    users.join("\n"),
    "    ]",
    "  }",
    "}",
    "# Participants' leaf links: no authorization block here, so they log in as WORKSHOP users with the permissions above.",
    `leafnodes { listen: ${q(`${input.host}:${input.leafPort}`)} }`,
    "",
  ].join("\n");
}
