import { expect, test } from "bun:test";
import { join } from "node:path";

test("lines logged just before process.exit are all written", async () => {
  const script = `
    import { createLogger } from ${JSON.stringify(join(import.meta.dir, "log.ts"))};
    const log = createLogger({ service: "exiting" });
    for (let i = 0; i < 500; i++) log.info("line", { i });
    process.exit(3);
  `;
  const proc = Bun.spawn(["bun", "-e", script], { stdout: "pipe", stderr: "pipe" });
  const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  expect(code).toBe(3);
  const lines = out.trim().split("\n").map((l) => JSON.parse(l) as { i: number });
  expect(lines.map((l) => l.i)).toEqual(Array.from({ length: 500 }, (_, i) => i));
});
