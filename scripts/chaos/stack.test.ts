import { expect, test } from "bun:test";
import { join } from "node:path";
import { crashSummary } from "./stack.ts";

const root = join(import.meta.dir, "..", "..");

test("a crash is summed up by its error line and the first frame in Forecourt's own code", () => {
  const stderr = [
    "52 |     // by generating the stack here to help identify what timed out",
    "TimeoutError: timeout",
    `      at timeout (${root}/node_modules/@nats-io/nats-core/lib/util.js:53:31)`,
    `      at openCatalogBuckets (${root}/packages/shared/src/catalog/kv.ts:18:9)`,
    `      at startApi (${root}/apps/api/src/api.ts:26:25)`,
    "",
    "Bun v1.4.5 (Linux x64)",
  ].join("\n");
  expect(crashSummary(stderr)).toBe("TimeoutError: timeout at openCatalogBuckets (packages/shared/src/catalog/kv.ts:18:9)");
});

test("without an error line the last lines are kept, and nothing says so", () => {
  expect(crashSummary("killed\nBun v1.4.5\n")).toBe("killed | Bun v1.4.5");
  expect(crashSummary("")).toBe("no stderr");
});
