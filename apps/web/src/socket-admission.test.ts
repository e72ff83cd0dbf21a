import { expect, test } from "bun:test";
import { CLOSE_TOO_MANY_SOCKETS, CLOSE_TRY_AGAIN } from "./protocol.ts";
import { isOriginAllowed, pageOrigins, parseOrigin, SocketLimits, socketOrigins } from "./socket-admission.ts";

test("origins are read as browsers send them, and anything else is not an origin", () => {
  expect(parseOrigin("http://127.0.0.1:3001")).toBe("http://127.0.0.1:3001");
  expect(parseOrigin("HTTPS://Cars.Example:443/")).toBe("https://cars.example");
  for (const text of ["null", "", "cars.example", "ftp://cars.example", "http://cars.example/path", "http://cars.example?x=1", "http://user@cars.example"]) {
    expect([text, parseOrigin(text)]).toEqual([text, undefined]);
  }
});

test("the page's own origins are its host and the loopback names, on its port", () => {
  expect(pageOrigins("127.0.0.1", 3001)).toEqual(["http://127.0.0.1:3001", "http://localhost:3001"]);
  expect(pageOrigins("cars.local", 8080)).toEqual(["http://cars.local:8080", "http://127.0.0.1:8080", "http://localhost:8080"]);
  expect(pageOrigins("::1", 80)).toEqual(["http://[::1]", "http://127.0.0.1", "http://localhost"]);
});

test("only listed origins may open a socket; a handshake without Origin is not a browser's and passes", () => {
  const allowed = new Set(pageOrigins("127.0.0.1", 3001));
  expect(isOriginAllowed("http://localhost:3001", allowed)).toBe(true);
  expect(isOriginAllowed("http://LOCALHOST:3001", allowed)).toBe(true);
  expect(isOriginAllowed(null, allowed)).toBe(true);
  for (const origin of ["http://evil.example", "http://127.0.0.1:3002", "https://127.0.0.1:3001", "null", "http://127.0.0.1:3001.evil.example"]) {
    expect([origin, isOriginAllowed(origin, allowed)]).toEqual([origin, false]);
  }
});

test("each allowed page origin becomes the WebSocket origin its page connects to, except IPv6 literals CSP cannot name", () => {
  expect(socketOrigins(["http://127.0.0.1:3001", "https://cars.example", "http://[::1]:3001"])).toEqual(["ws://127.0.0.1:3001", "wss://cars.example"]);
});

test("one address gets at most its cap of sockets, others still get theirs, and a closed one frees a place", () => {
  const limits = new SocketLimits({ maxPerClient: 2, maxTotal: 10 });
  expect(limits.admit("10.0.0.1")).toEqual({ ok: true });
  expect(limits.admit("10.0.0.1")).toEqual({ ok: true });
  expect(limits.admit("10.0.0.1")).toMatchObject({ ok: false, code: CLOSE_TOO_MANY_SOCKETS });
  expect(limits.admit("10.0.0.2")).toEqual({ ok: true });
  limits.release("10.0.0.1");
  expect(limits.admit("10.0.0.1")).toEqual({ ok: true });
  expect(limits.open).toBe(3);
});

test("past the total cap everyone is told to try again later, until a socket closes", () => {
  const limits = new SocketLimits({ maxPerClient: 5, maxTotal: 3 });
  for (const client of ["a", "b", "c"]) expect(limits.admit(client)).toEqual({ ok: true });
  const refused = limits.admit("d");
  expect(refused).toMatchObject({ ok: false, code: CLOSE_TRY_AGAIN });
  expect(new TextEncoder().encode((refused as { reason: string }).reason).length).toBeLessThanOrEqual(123);
  limits.release("b");
  limits.release("unknown");
  expect(limits.open).toBe(2);
  expect(limits.admit("d")).toEqual({ ok: true });
});
