import { describe, expect, test } from "bun:test";
import { BUCKETS, durables, SERVICES, STREAMS, vehicleSubject } from "../contracts/subjects.ts";
import { deadLetterSubject } from "./dead-letter.ts";
import { APP_USERS, isAllowed, NATS_ACCOUNT, NATS_USERS, natsPermissions, renderNatsAuth, subjectMatches, type NatsUser } from "./nats-permissions.ts";

const can = (user: NatsUser, subject: string) => isAllowed(natsPermissions(user), "publish", subject);
const hears = (user: NatsUser, subject: string) => isAllowed(natsPermissions(user), "subscribe", subject);
const event = (kind: "listed" | "updated" | "removed" | "priced", origin = "local") => vehicleSubject(kind, "ford", "ford-fiesta", origin);
const DURABLES = durables("local");
const vehicles = STREAMS.vehicles.name;
const notAdmin = NATS_USERS.filter((u) => u !== "admin");

test("subjects match as NATS matches them: * one token, a trailing > one or more", () => {
  expect(subjectMatches("forecourt.vehicles.listed.>", "forecourt.vehicles.listed.ford.ford-fiesta")).toBe(true);
  expect(subjectMatches("forecourt.vehicles.listed.>", "forecourt.vehicles.listed")).toBe(false);
  expect(subjectMatches("$SRV.*.forecourt-api", "$SRV.PING.forecourt-api")).toBe(true);
  expect(subjectMatches("$SRV.*.forecourt-api", "$SRV.PING.forecourt-api.abc")).toBe(false);
  expect(subjectMatches("a.b", "a.b.c")).toBe(false);
});

describe("events", () => {
  test("only the API publishes listed, updated and removed; only the pricer publishes priced", () => {
    for (const kind of ["listed", "updated", "removed"] as const) {
      expect(NATS_USERS.filter((u) => can(u, event(kind)))).toEqual(["api", "admin"]);
    }
    expect(NATS_USERS.filter((u) => can(u, event("priced")))).toEqual(["pricer", "admin"]);
  });

  test("web, audit-log, pricing and the inspector publish nothing under forecourt.vehicles or forecourt.deadletter", () => {
    for (const user of ["web", "audit-log", "pricing", "inspector"] as const) {
      for (const kind of ["listed", "updated", "removed", "priced"] as const) expect(can(user, event(kind))).toBe(false);
      expect(can(user, deadLetterSubject("pricer", event("listed")))).toBe(false);
    }
  });

  test("each consumer dead-letters only under its own name", () => {
    expect(can("pricer", deadLetterSubject(DURABLES.pricer.durable, event("listed")))).toBe(true);
    expect(can("pricer", deadLetterSubject(DURABLES.api.durable, event("priced")))).toBe(false);
    expect(can("api", deadLetterSubject(DURABLES.api.durable, event("priced")))).toBe(true);
  });

  test("whatever participant is the origin (the subject's last token), and on subjects from before origins", () => {
    expect(can("api", event("listed", "alice"))).toBe(true);
    expect(can("pricer", event("priced", "alice"))).toBe(true);
    expect(can("web", event("priced", "alice"))).toBe(false);
    expect(can("api", "forecourt.vehicles.listed.ford.ford-fiesta")).toBe(true);
  });
});

describe("JetStream objects", () => {
  const managing = [
    `$JS.API.STREAM.CREATE.${vehicles}`,
    `$JS.API.STREAM.UPDATE.${vehicles}`,
    `$JS.API.STREAM.DELETE.${vehicles}`,
    `$JS.API.STREAM.PURGE.${vehicles}`,
    `$JS.API.STREAM.MSG.DELETE.${vehicles}`,
    `$JS.API.STREAM.CREATE.KV_${BUCKETS.vehicles}`,
    `$JS.API.STREAM.DELETE.KV_${BUCKETS.vehicles}`,
    `$JS.API.STREAM.PURGE.KV_${BUCKETS.vehicles}`,
    `$JS.API.STREAM.DELETE.KV_${BUCKETS.dealers}`,
    ...Object.values(DURABLES).flatMap(({ stream, durable }) => [
      `$JS.API.CONSUMER.CREATE.${stream}.${durable}`,
      `$JS.API.CONSUMER.CREATE.${stream}.${durable}.forecourt.vehicles.>`,
      `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.${durable}`,
      `$JS.API.CONSUMER.DELETE.${stream}.${durable}`,
    ]),
  ];

  test("nobody but admin creates, changes, purges or deletes a stream, bucket or durable", () => {
    for (const subject of managing) expect(NATS_USERS.filter((u) => can(u, subject))).toEqual(["admin"]);
  });

  test("each app works through its own durable and no other", () => {
    const owners = { pricer: DURABLES.pricer, "audit-log": DURABLES.auditLog, api: DURABLES.api } as const;
    for (const [user, { stream, durable }] of Object.entries(owners)) {
      const next = `$JS.API.CONSUMER.MSG.NEXT.${stream}.${durable}`;
      const ack = `$JS.ACK.${stream}.${durable}.1.2.3.1700000000.0`;
      expect(NATS_USERS.filter((u) => can(u, next))).toEqual([user as NatsUser, "admin"]);
      expect(NATS_USERS.filter((u) => can(u, ack))).toEqual([user as NatsUser, "admin"]);
      expect(can(user as NatsUser, `$JS.API.CONSUMER.INFO.${stream}.${durable}`)).toBe(true);
    }
  });

  test("only the API (and admin) writes the vehicles bucket; nobody but admin writes dealers", () => {
    expect(NATS_USERS.filter((u) => can(u, `$KV.${BUCKETS.vehicles}.AB12CDE`))).toEqual(["api", "admin"]);
    expect(NATS_USERS.filter((u) => can(u, `$KV.${BUCKETS.dealers}.autobarn`))).toEqual(["admin"]);
    expect(can("api", `$JS.API.DIRECT.GET.KV_${BUCKETS.dealers}.$KV.${BUCKETS.dealers}.autobarn`)).toBe(true);
  });

  test("web and the API index read through ordered consumers of their own: created, pulled and deleted by any name but a durable's", () => {
    expect(can("web", `$JS.API.CONSUMER.CREATE.${vehicles}.oc_abc_1.forecourt.vehicles.*.ford.>`)).toBe(true);
    expect(can("web", `$JS.API.CONSUMER.MSG.NEXT.${vehicles}.oc_abc_1`)).toBe(true);
    expect(can("web", `$JS.API.CONSUMER.DELETE.${vehicles}.oc_abc_1`)).toBe(true);
    expect(can("web", `$JS.API.CONSUMER.MSG.NEXT.${vehicles}.${DURABLES.pricer.durable}`)).toBe(false);
    expect(can("api", `$JS.API.CONSUMER.CREATE.KV_${BUCKETS.vehicles}.oc_abc_1.$KV.${BUCKETS.vehicles}.>`)).toBe(true);
    expect(can("pricer", `$JS.API.CONSUMER.CREATE.${vehicles}.oc_abc_1`)).toBe(false);
  });

  test("every app may look at the streams it binds to", () => {
    for (const user of ["api", "pricer", "audit-log", "web"] as const) expect(can(user, `$JS.API.STREAM.INFO.${vehicles}`)).toBe(true);
  });
});

describe("the inspector", () => {
  test("reads every event, stream, consumer and value, and pings services", () => {
    expect(hears("inspector", event("priced"))).toBe(true);
    expect(hears("inspector", "forecourt.deadletter.pricer.x")).toBe(true);
    for (const subject of ["$JS.API.STREAM.INFO.VEHICLES", "$JS.API.STREAM.NAMES", "$JS.API.CONSUMER.INFO.VEHICLES.pricer", "$JS.API.STREAM.MSG.GET.VEHICLES", "$JS.API.DIRECT.GET.KV_vehicles.$KV.vehicles.AB12CDE", "$SRV.PING", `$SRV.STATS.${SERVICES.api}`]) {
      expect(can("inspector", subject)).toBe(true);
    }
  });

  test("reads a workshop hub's streams through its domain too, and changes nothing there", () => {
    expect(can("inspector", "$JS.hub.API.STREAM.NAMES")).toBe(true);
    expect(can("inspector", "$JS.hub.API.STREAM.INFO.P_alice")).toBe(true);
    expect(can("inspector", "$JS.hub.API.STREAM.DELETE.P_alice")).toBe(false);
    expect(can("inspector", "$JS.hub.API.CONSUMER.CREATE.P_alice")).toBe(false);
  });

  test("changes nothing: no event, no KV write, no consumer, no ack", () => {
    for (const subject of [event("listed"), "$KV.vehicles.AB12CDE", "$JS.API.CONSUMER.CREATE.VEHICLES.x", "$JS.API.CONSUMER.MSG.NEXT.VEHICLES.pricer", "$JS.ACK.VEHICLES.pricer.1.1.1.1.0"]) {
      expect(can("inspector", subject)).toBe(false);
    }
  });
});

test("the pricer may ask a price calculator over NATS (PRICING_TRANSPORT=nats) and ping it; nobody else asks for prices but the inspector", () => {
  expect(NATS_USERS.filter((u) => can(u, "forecourt.pricing.get-price"))).toEqual(["pricer", "inspector", "admin"]);
  expect(can("pricer", `$SRV.PING.${SERVICES.pricing}`)).toBe(true);
  expect(can("pricer", `$SRV.STATS.${SERVICES.api}`)).toBe(false);
});

test("each app answers its own micro service and endpoints, not another's", () => {
  const services: Record<(typeof APP_USERS)[number], string> = { api: SERVICES.api, pricer: SERVICES.pricer, pricing: SERVICES.pricing, "audit-log": SERVICES.auditLog, web: SERVICES.web };
  for (const user of APP_USERS) {
    expect(hears(user, "$SRV.PING")).toBe(true);
    expect(hears(user, `$SRV.STATS.${services[user]}.someid`)).toBe(true);
    for (const other of APP_USERS.filter((u) => u !== user)) expect(hears(user, `$SRV.STATS.${services[other]}`)).toBe(false);
    expect(hears(user, "forecourt.vehicles.listed.ford.ford-fiesta")).toBe(false);
  }
  expect(hears("pricing", "forecourt.pricing.get-price")).toBe(true);
  expect(hears("api", "forecourt.api.vehicles.get")).toBe(true);
  expect(hears("web", "forecourt.pricing.get-price")).toBe(false);
});

test("the rendered configuration holds one account with JetStream and every user with its hash, never a password", () => {
  const text = renderNatsAuth(NATS_USERS.map((user) => ({ user, passwordHash: `$2b$10$hashof${user.replace("-", "")}` })));
  expect(text).toContain(`${NATS_ACCOUNT} {`);
  expect(text).toContain("jetstream: enabled");
  for (const user of NATS_USERS) expect(text).toContain(`user: "${user}"`);
  expect(text).toContain('password: "$2b$10$hashofauditlog"');
  expect(text).not.toContain("no_auth_user");
  // Answered at once or forgotten after a second: nats-server walks every reply subject it remembers on each delivery.
  expect(text.match(/allow_responses: \{ max: 1, expires: "1s" \}/g)).toHaveLength(APP_USERS.length);
});
