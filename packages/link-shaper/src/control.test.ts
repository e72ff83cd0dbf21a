import { expect, test } from "bun:test";
import { createControlHandler, isAllowedOrigin } from "./control.ts";
import { applyChange, checkChange, UNSHAPED, type LinkSettings, type SettingsChange } from "./settings.ts";
import type { LinkStatus } from "./shaper.ts";

/** A stand-in shaper that keeps settings exactly as the real one does, without sockets. */
function fakeShaper() {
  let settings: LinkSettings = UNSHAPED;
  const changes: SettingsChange[] = [];
  const counters = { bytes: 0, messages: 0, queuedBytes: 0, uncountedConnections: 0 };
  return {
    changes,
    set(change: SettingsChange) {
      checkChange(change);
      changes.push(change);
      settings = applyChange(settings, change);
      return settings;
    },
    status(): LinkStatus {
      return { listen: "127.0.0.1:1", to: "127.0.0.1:2", control: null, settings, connections: { open: 0, accepted: 0, refused: 0 }, up: counters, down: counters };
    },
  };
}

const JSON_TYPE = { "content-type": "application/json" };

function post(path: string, body?: unknown, headers: Record<string, string> = JSON_TYPE): Request {
  return new Request(`http://127.0.0.1:7501${path}`, { method: "POST", headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

test("GET /status answers the current settings and counters as JSON", async () => {
  const handle = createControlHandler(fakeShaper());
  const response = await handle(new Request("http://127.0.0.1:7501/status"));
  expect(response.status).toBe(200);
  const status = (await response.json()) as LinkStatus;
  expect(status.settings).toEqual(UNSHAPED);
  expect(status.up.bytes).toBe(0);
});

test("POST /settings applies typed values to the chosen direction and answers the new status", async () => {
  const shaper = fakeShaper();
  const handle = createControlHandler(shaper);
  const response = await handle(post("/settings", { direction: "up", latency: "150ms", jitter: "30ms", bandwidth: "256kbit" }));
  expect(response.status).toBe(200);
  const status = (await response.json()) as LinkStatus;
  expect(status.settings.up).toEqual({ latencyMs: 150, jitterMs: 30, bandwidthBps: 256_000 });
  expect(status.settings.down).toEqual(UNSHAPED.down);
});

test("POST /cut, /hold and /restore switch the outage", async () => {
  const shaper = fakeShaper();
  const handle = createControlHandler(shaper);
  for (const [path, outage] of [["/cut", "cut"], ["/hold", "hold"], ["/restore", "none"]] as const) {
    const response = await handle(post(path));
    expect(((await response.json()) as LinkStatus).settings.outage).toBe(outage);
  }
  expect(shaper.changes).toEqual([{ outage: "cut" }, { outage: "hold" }, { outage: "none" }]);
});

test("a bad value answers 400 problem+json whose detail names the value and its form, and changes nothing", async () => {
  const shaper = fakeShaper();
  const handle = createControlHandler(shaper);
  const response = await handle(post("/settings", { latency: "soon" }));
  expect(response.status).toBe(400);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const problem = (await response.json()) as { detail: string };
  expect(problem.detail).toContain('latency "soon"');
  expect(problem.detail).toContain("150ms");
  expect(shaper.changes).toEqual([]);
  expect((await handle(post("/settings", "{not json", JSON_TYPE))).status).toBe(400);
  const broken = await handle(new Request("http://127.0.0.1:7501/settings", { method: "POST", headers: JSON_TYPE, body: "{" }));
  expect(((await broken.json()) as { detail: string }).detail).toBe("the body is not JSON");
});

test("a POST without a JSON content type is refused, so a plain cross-site form cannot cut the link", async () => {
  const shaper = fakeShaper();
  const handle = createControlHandler(shaper);
  const response = await handle(post("/cut", undefined, { "content-type": "text/plain", origin: "https://evil.example" }));
  expect(response.status).toBe(415);
  expect(shaper.changes).toEqual([]);
});

test("wrong methods and unknown paths answer 405 and 404", async () => {
  const handle = createControlHandler(fakeShaper());
  const wrong = await handle(new Request("http://127.0.0.1:7501/cut"));
  expect(wrong.status).toBe(405);
  expect(wrong.headers.get("allow")).toBe("POST");
  expect((await handle(post("/status"))).status).toBe(405);
  expect((await handle(new Request("http://127.0.0.1:7501/nowhere"))).status).toBe(404);
});

test("loopback pages get CORS headers for GET and POST, other origins do not", async () => {
  const handle = createControlHandler(fakeShaper(), { corsOrigins: ["http://192.168.1.20:3001"] });
  const preflight = (origin: string) =>
    handle(new Request("http://127.0.0.1:7501/settings", { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" } }));
  for (const origin of ["http://127.0.0.1:3001", "http://localhost:3011", "http://[::1]:3001", "http://192.168.1.20:3001"]) {
    const response = await preflight(origin);
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(origin);
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
    expect(response.headers.get("access-control-allow-headers")).toContain("content-type");
  }
  const foreign = await preflight("https://evil.example");
  expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
  const status = await handle(new Request("http://127.0.0.1:7501/status", { headers: { origin: "http://127.0.0.1:3001" } }));
  expect(status.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:3001");
});

test("only http(s) loopback origins count as local", () => {
  expect(isAllowedOrigin("http://127.0.0.2:80")).toBe(true);
  expect(isAllowedOrigin("null")).toBe(false);
  expect(isAllowedOrigin("http://localhost.evil.example")).toBe(false);
  expect(isAllowedOrigin("file://localhost/x")).toBe(false);
});
