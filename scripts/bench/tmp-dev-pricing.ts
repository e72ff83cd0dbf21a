import { startDevStack } from "./private-stack.ts";
import { cpuSnapshot, cpuDelta } from "./proc-stats.ts";
const s = await startDevStack({ root: process.cwd(), storeDir: "/tmp/bt/store2", auditLogPath: "/tmp/bt/a.jsonl", logFile: "/tmp/bt/dev2.log", env: process.env.LL ? { LOG_LEVEL: process.env.LL } : undefined, only: process.argv[2] ? process.argv[2].split(",") : undefined });
console.log(s.pids);
const url = `${s.urls.pricing}/forecourt.pricing.v1.PriceCalculatorService/GetPrice`;
for (const [c, m] of [[1, 1], [2, 16]]) {
  const before = cpuSnapshot(s.pids);
  const p = Bun.spawn(["h2load", "-c", String(c), "-m", String(m), "-D", "3", "-d", "/tmp/bt/req.bin", "-H", "content-type: application/grpc", "-H", "te: trailers", url], { stdout: "pipe" });
  const out = await new Response(p.stdout).text();
  console.log(c, m, out.split("\n").filter((l) => /finished|time for request/.test(l)).join("\n"), cpuDelta(before, cpuSnapshot(s.pids)));
}
await s.stop();
