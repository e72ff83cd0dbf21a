import { expect, test } from "bun:test";
import { processName } from "./private-stack.ts";

test("children of bun run dev are named by their entry point, nats-server by its binary", () => {
  expect(processName("/usr/sbin/nats-server -c /tmp/x/nats.conf -p 21272 -m 2222")).toBe("nats-server");
  expect(processName("bun apps/audit-log/src/main.ts")).toBe("audit-log");
  expect(processName("/root/.bun/bin/bun /repo/apps/api/src/main.ts")).toBe("api");
  expect(processName("bun scripts/dev.ts")).toBeUndefined();
});
