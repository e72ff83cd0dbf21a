import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus } from "@forecourt/shared/gen/grpc/health/v1/health_pb";
import { freePort, startApp, startNatsServer, type AppProcess, type TestNatsServer } from "@forecourt/shared/testing";

let nats: TestNatsServer;
let app: AppProcess;
let port: number;

beforeAll(async () => {
  nats = await startNatsServer();
  port = await freePort();
  app = await startApp(join(import.meta.dir, "main.ts"), { NATS_URL: nats.url, PRICING_PORT: String(port), PRICING_HTTP_PORT: String(await freePort()) });
});
afterAll(async () => {
  await app?.kill();
  await nats?.dispose();
});

test("SIGTERM with a health Watch still open ends the stream with OK and stops cleanly", async () => {
  const health = createClient(Health, createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` }));
  const statuses: HealthCheckResponse_ServingStatus[] = [];
  const watching = (async () => {
    for await (const answer of health.watch({ service: "" })) {
      statuses.push(answer.status);
      if (statuses.length === 1) app.proc.kill("SIGTERM");
    }
  })().then(
    () => "ended",
    (error) => Code[ConnectError.from(error).code],
  );
  // Exit code 1 would mean a shutdown step failed or the whole shutdown overran its limit.
  expect(await app.proc.exited).toBe(0);
  expect(statuses).toEqual([HealthCheckResponse_ServingStatus.SERVING]);
  // The stream ends with an OK status rather than being cut: the server closes it before dropping the session.
  expect(await watching).toBe("ended");
  // The last line may still be in the pipe when the process has exited: wait for it rather than race it.
  await app.waitForLog((line) => line.msg === "stopped");
  expect(app.logs.at(-1)).toMatchObject({ msg: "stopped" });
});
