import { expect, test } from "bun:test";
import { Elysia } from "elysia";
import { contentSecurityPolicy, securityHeaders, securityHeadersPlugin } from "./security-headers.ts";

const directives = (policy: string) => new Map(policy.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));

test("with nothing allowed the policy lets nothing load, post or frame", () => {
  expect(contentSecurityPolicy()).toBe("default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
});

test("a page's allowances are added to the locked-down floor", () => {
  const policy = directives(contentSecurityPolicy({ "script-src": ["'self'"], "connect-src": ["'self'", "ws://127.0.0.1:3001"] }));
  expect(policy.get("default-src")).toEqual(["'none'"]);
  expect(policy.get("script-src")).toEqual(["'self'"]);
  expect(policy.get("connect-src")).toEqual(["'self'", "ws://127.0.0.1:3001"]);
});

test("no policy can allow framing", () => {
  const policy = directives(contentSecurityPolicy({ "frame-ancestors": ["*"] }));
  expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
  expect(securityHeaders({ "frame-ancestors": ["*"] })["x-frame-options"]).toBe("DENY");
});

test("a source that would smuggle in another directive is refused", () => {
  expect(() => contentSecurityPolicy({ "connect-src": ["ws://a; script-src *"] })).toThrow(/may not hold spaces/);
  expect(() => contentSecurityPolicy({ "connect-src": ["ws://a,b"] })).toThrow(/may not hold spaces/);
  expect(() => contentSecurityPolicy({ "connect-src": [] })).toThrow(/at least one source/);
  expect(() => contentSecurityPolicy({ "Script Src": ["'self'"] })).toThrow(/lowercase/);
});

test("the headers forbid sniffing, referrers and framing", () => {
  expect(securityHeaders()).toEqual({
    "content-security-policy": contentSecurityPolicy(),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
  });
});

test("the plugin puts the path's headers on answers, thrown errors and unknown paths alike", async () => {
  const page = securityHeaders({ "script-src": ["'self'"] });
  const other = securityHeaders();
  const app = new Elysia()
    .use(securityHeadersPlugin((path) => (path === "/" ? page : other)))
    .get("/", () => new Response("<!doctype html>", { headers: { "content-type": "text/html" } }))
    .get("/json", () => ({ ok: true }))
    .get("/boom", () => {
      throw new Error("boom");
    });
  const get = (path: string) => app.handle(new Request(`http://localhost${path}`));
  expect((await get("/")).headers.get("content-security-policy")).toBe(page["content-security-policy"]!);
  for (const path of ["/json", "/boom", "/nowhere"]) {
    const response = await get(path);
    for (const [name, value] of Object.entries(other)) expect(response.headers.get(name)).toBe(value);
  }
});
