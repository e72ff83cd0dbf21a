import { afterAll, beforeAll, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { Svcm } from "@nats-io/services";
import { trace } from "@opentelemetry/api";
import type { NatsConnection } from "@nats-io/transport-node";
import { startNatsServer, type TestNatsServer } from "../testing/nats-server.ts";
import { waitFor } from "../testing/wait.ts";
import { healthRoutes } from "./health.ts";
import { createLogger } from "./log.ts";
import { registerMicroService } from "./micro.ts";
import { connectNats, isNatsReachable } from "./nats.ts";
import { extractContext, inSpan, publishSpan, startSpan } from "./spans.ts";

let server: TestNatsServer;
let nc: NatsConnection;
const log = createLogger({ service: "test", level: "error" });

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectNats({ url: server.url, name: "platform-test", log });
});
afterAll(async () => {
  await nc?.close();
  await server?.dispose();
});

test("readiness follows NATS: ready, then 503 while the server is down, then ready again after reconnect", async () => {
  const app = new Elysia().use(healthRoutes("test", { nats: () => isNatsReachable(nc, 300) }));
  const ready = () => app.handle(new Request("http://localhost/health/ready"));
  expect((await ready()).status).toBe(200);
  expect((await app.handle(new Request("http://localhost/health/live"))).status).toBe(200);

  await server.stop();
  const down = await ready();
  expect(down.status).toBe(503);
  expect(await down.json()).toMatchObject({ status: "not ready", checks: { nats: "failing" } });

  await server.start();
  await waitFor(async () => (await ready()).status === 200, { intervalMs: 100, what: "ready again" });
});

test("a micro service answers $SRV.PING with its name and version", async () => {
  const service = await registerMicroService(nc, { name: "forecourt-test", version: "1.2.3", description: "test service" });
  const client = new Svcm(nc).client();
  const pings = [];
  for await (const ping of await client.ping("forecourt-test")) pings.push(ping);
  expect(pings).toHaveLength(1);
  expect(pings[0]).toMatchObject({ name: "forecourt-test", version: "1.2.3" });
  await service.stop();
});

test("a publish span's context crosses a NATS message as traceparent and continues in the receiver's span", async () => {
  const sub = nc.subscribe("trace.test", { max: 1 });
  const sent = await inSpan("request", {}, () =>
    publishSpan("publish trace.test", "trace.test", async (headers) => {
      nc.publish("trace.test", "x", { headers });
      return trace.getActiveSpan()!.spanContext();
    }),
  );
  for await (const msg of sub) {
    expect(msg.headers?.get("traceparent")).toBe(`00-${sent.traceId}-${sent.spanId}-01`);
    expect(trace.getSpanContext(extractContext(msg.headers))).toMatchObject({ traceId: sent.traceId, spanId: sent.spanId, isRemote: true });
    const received = startSpan("process", { parent: extractContext(msg.headers) });
    expect(received.span.spanContext().traceId).toBe(sent.traceId);
    expect(received.span.spanContext().spanId).not.toBe(sent.spanId);
  }
});
